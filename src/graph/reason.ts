/** An error's message for a start failure; a thrown non-Error as text. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

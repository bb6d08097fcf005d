/**
 * Values are stored as JSON text. A value JSON cannot represent (undefined, a function) is
 * stored as null rather than failing the write of a whole batch.
 */
export function encode(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

export function decode<T>(text: string): T {
  return JSON.parse(text) as T;
}

import { HealthpipeError } from '../errors.js';

/** An error's message for a start failure; a thrown non-Error as text. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a component's create(); a throw (a plugin's bug) becomes which one failed, and why. */
export function createComponent<T>(id: string, kind: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    throw new HealthpipeError('COMPONENT_CREATE', `${kind} ${id} could not be created: ${reasonOf(error)}`, { component: id, cause: error });
  }
}

import type { Check } from '../check-result.js';
import type { HttpCheckConfig } from './config.js';

export { httpCheckSchema, type HttpCheckConfig } from './config.js';

/** What an http check needs besides its own config. */
export interface HttpCheckEnvironment {
  /** Secrets of the target (header values, token, URL password) for cleaning messages. */
  readonly secrets: readonly string[];
}

// Placeholder until the http check lands (branch hc-http replaces this file whole).
export function createHttpCheck(config: HttpCheckConfig, environment: HttpCheckEnvironment): Check {
  void config;
  void environment;
  throw new Error('http checks are not built yet');
}

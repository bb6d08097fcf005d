export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Logs a message only the first time `key` is seen (e.g. a permission error per PID). */
  once(key: string, level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

import type { Logger, LogLevel } from '../component/logger.js';
import { redactValue } from '../config/secrets.js';

const NO_SECRETS: ReadonlySet<string> = new Set();
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

/**
 * Structured logs on stderr, one JSON object per line (stdout belongs to the console
 * exporter). `once` keys are bounded so a churn of PIDs cannot grow memory forever.
 */
export class JsonLogger implements Logger {
  private static readonly MAX_ONCE_KEYS = 10_000;

  constructor(
    private readonly options: {
      level: LogLevel;
      sink?: LogSink;
      /** The injected scheduler's clock, so log times agree with the points' times. */
      now: () => number;
      /** Values blanked out of every line (the configuration's secrets); read at each write, so a reload can change them. */
      secrets?: () => ReadonlySet<string>;
      component?: string;
      seen?: Set<string>;
    },
  ) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }

  once(key: string, level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    const seen = (this.options.seen ??= new Set());
    const scoped = `${this.options.component ?? ''}\u0000${key}`;
    if (seen.has(scoped)) return;
    if (seen.size >= JsonLogger.MAX_ONCE_KEYS) seen.clear();
    seen.add(scoped);
    this.log(level, message, fields);
  }

  child(component: string): Logger {
    this.options.seen ??= new Set();
    return new JsonLogger({ ...this.options, component });
  }

  private log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.options.level]) return;
    const secrets = this.options.secrets?.() ?? NO_SECRETS;
    const record = {
      time: new Date(this.options.now()).toISOString(),
      level,
      ...(this.options.component === undefined ? {} : { component: this.options.component }),
      message: redactValue(message, secrets),
      ...(fields === undefined ? {} : (redactValue(fields, secrets) as Record<string, unknown>)),
    };
    const line = JSON.stringify(record);
    if (this.options.sink) this.options.sink.write(line);
    else process.stderr.write(`${line}\n`);
  }
}

/** Keeps log records in memory: for tests. */
export class MemoryLogSink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  records(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

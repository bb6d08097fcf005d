import type Database from 'better-sqlite3';
import type { AppendLog, LogRecord } from '../component/storage.js';
import { decode, encode } from './json.js';
import type { Statements } from './statements.js';

/**
 * The multi-row writes of every log, wrapped once per database: one transaction per call
 * means one WAL commit for a whole batch instead of one per record.
 */
export interface LogTransactions {
  readonly append: Database.Transaction<(scope: number, values: readonly unknown[], time: number) => number[]>;
  readonly remove: Database.Transaction<(scope: number, seqs: readonly number[]) => void>;
}

export function prepareLogTransactions(db: Database.Database, statements: Statements): LogTransactions {
  return {
    append: db.transaction((scope: number, values: readonly unknown[], time: number): number[] => {
      const seqs: number[] = [];
      for (const value of values) {
        seqs.push(Number(statements.logAppend.run(scope, time, encode(value)).lastInsertRowid));
      }
      return seqs;
    }),
    remove: db.transaction((scope: number, seqs: readonly number[]): void => {
      for (const seq of seqs) statements.logRemove.run(scope, seq);
    }),
  };
}

/** An append-only log of one (component, namespace) scope: outbox, export queue. */
export class SqliteAppendLog implements AppendLog {
  constructor(
    private readonly statements: Statements,
    private readonly transactions: LogTransactions,
    /** The scope's row id, resolved per call: see SqliteStore.scope. */
    private readonly scopeId: () => number,
  ) {}

  private get scope(): number {
    return this.scopeId();
  }

  append(values: readonly unknown[], time: number): number[] {
    if (values.length === 0) return [];
    return this.transactions.append(this.scope, values, time);
  }

  read<T = unknown>(afterSeq = 0, limit = -1): Array<LogRecord<T>> {
    return this.statements.logRead
      .all(this.scope, afterSeq, limit)
      .map((row) => ({ seq: row.seq, time: row.time, value: decode<T>(row.value), size: row.value.length }));
  }

  ack(seq: number): void {
    this.statements.logAck.run(this.scope, seq);
  }

  remove(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    this.transactions.remove(this.scope, seqs);
  }

  size(): number {
    return this.statements.logSize.get(this.scope) ?? 0;
  }

  trim(max: number): number {
    return this.statements.logTrim.run(this.scope, this.scope, Math.max(0, Math.floor(max))).changes;
  }
}

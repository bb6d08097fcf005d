import Database from 'better-sqlite3';
import { HealthpipeError } from '../errors.js';
import { findDataDir } from './status-data-dir.js';
import { statusJson } from './status-json.js';
import { statusReport } from './status-report.js';
import { statusText } from './status-text.js';
import { openHistory, type OpenedHistory } from './history-store.js';
import { printProblems } from './problems.js';
import type { RunConfigChoice } from './config-choice.js';

/** Where `status` and `history` write, and how wide a terminal is (undefined: not a terminal). */
export interface ReaderOutput {
  write(text: string): void;
  readonly columns: number | undefined;
}

export interface ReaderDependencies {
  readonly open?: (dataDir: string) => OpenedHistory;
  readonly now?: () => number;
  readonly output?: ReaderOutput;
}

/** stdout; a terminal's width, none for a pipe or a file (whose lines are never cut). */
export function stdoutOutput(): ReaderOutput {
  return {
    write: (text) => process.stdout.write(text),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/**
 * Finds the configuration's data_dir and runs `fn` on its store opened read-only: exit 2
 * with every problem when the configuration is wrong; a store that cannot be read throws
 * its HealthpipeError (STORAGE, exit 1).
 */
export async function withHistory(
  choice: RunConfigChoice,
  dependencies: ReaderDependencies,
  fn: (history: OpenedHistory) => number,
): Promise<number> {
  const found = await findDataDir(choice);
  if (!found.ok) {
    printProblems(choice.files, found.problems);
    return 2;
  }
  const history = (dependencies.open ?? openHistory)(found.dataDir);
  try {
    return history.read(() => fn(history));
  } catch (error) {
    // A query the store cannot answer (a damaged file, a lock held past the busy timeout) is
    // the store's failure, said as one; a mistake in the command's arguments passes through.
    if (!(error instanceof Database.SqliteError)) throw error;
    throw new HealthpipeError('STORAGE', `cannot read store ${history.path}: ${error.message}`, { cause: error });
  } finally {
    history.close();
  }
}

/**
 * `healthpipe status [--config FILE…] [--json]`: the ancestor's report read from the store,
 * while the agent runs or after it stopped. Exit 0 whenever the store could be read, however
 * bad the services are: the levels are the answer, not a failure of the command.
 */
export async function statusCommand(choice: RunConfigChoice, json: boolean, dependencies: ReaderDependencies = {}): Promise<number> {
  const output = dependencies.output ?? stdoutOutput();
  const now = dependencies.now ?? Date.now;
  return withHistory(choice, dependencies, (history) => {
    const report = statusReport(history.reader, now());
    const text = json ? `${JSON.stringify(statusJson(report, history.path))}\n` : statusText(report, history.path, output.columns ?? Infinity);
    output.write(text);
    return 0;
  });
}

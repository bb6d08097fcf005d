import type { RunConfigChoice } from './config-choice.js';
import { checkKnown, historyQuery, UsageError, type HistoryOptions } from './history-options.js';
import { historyJson, historyText } from './history-text.js';
import { stdoutOutput, withHistory, type ReaderDependencies } from './status.js';

/** The sparkline leaves room for its lowest and highest figure after it. */
const SPARK_MARGIN = 30;

/**
 * `healthpipe history SERVICE METRIC [--since 1h] [--step 1m] [--agg p95] [--json]`: one
 * metric of one service over a range, one aggregate per step, read from the store while the
 * agent runs or after it stopped. A mistake in the arguments (a bad duration or aggregate,
 * a service or metric the store never saw) exits 2 saying what would do.
 */
export async function historyCommand(
  choice: RunConfigChoice,
  service: string,
  metric: string,
  options: HistoryOptions & { readonly json?: boolean },
  dependencies: ReaderDependencies = {},
): Promise<number> {
  const output = dependencies.output ?? stdoutOutput();
  const now = (dependencies.now ?? Date.now)();
  try {
    // Checked before the configuration is read: a typo in --agg needs no store.
    const query = historyQuery(service, metric, options, now);
    return await withHistory(choice, dependencies, (history) => {
      checkKnown(history.reader, service, metric);
      const series = history.reader.range(query);
      if (options.json === true) output.write(`${JSON.stringify(historyJson(series, query))}\n`);
      else output.write(historyText(series, query, output.columns === undefined ? undefined : Math.max(10, output.columns - SPARK_MARGIN)));
      return 0;
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`healthpipe history: ${error.message}\n`);
    return 2;
  }
}

import type { CheckErrorType, CheckState } from '../check-result.js';

/** The Nagios plugin exit codes 0–3, in order. */
const STATE_OF_CODE: readonly CheckState[] = ['ok', 'warning', 'critical', 'unknown'];

export interface ExitVerdict {
  readonly state: CheckState;
  /** Set when the plugin did not answer as a plugin: a code outside 0–3, or killed by a signal. */
  readonly errorType?: CheckErrorType;
  /** Said instead of, or before, the plugin's own first line when the exit itself is the news. */
  readonly note?: string;
}

/** How a plugin's end reads: exit 0–3 → ok / warning / critical / unknown; anything else, or a signal, → unknown and plugin_error. */
export function exitVerdict(code: number | null, signal: NodeJS.Signals | null): ExitVerdict {
  if (code !== null) {
    const state = STATE_OF_CODE[code];
    if (state !== undefined) return { state };
    return { state: 'unknown', errorType: 'plugin_error', note: `plugin exited with code ${code}` };
  }
  return { state: 'unknown', errorType: 'plugin_error', note: `plugin killed by ${signal ?? 'a signal'}` };
}

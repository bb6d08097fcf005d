import type { Perfdata } from '../check-result.js';
import { parsePerfdata } from './perfdata.js';

export interface PluginOutput {
  /** The first line's text before `|`, trimmed; '' when the plugin printed none. */
  readonly message: string;
  readonly perfdata: Perfdata[];
}

/**
 * Reads a plugin's output as the Nagios plugin API lays it out: line 1 is
 * `TEXT | PERFDATA`; later lines are long output until one holds a `|`, after which the
 * rest of that line and every line below it are more perfdata.
 */
export function parsePluginOutput(output: string): PluginOutput {
  const newline = output.indexOf('\n');
  const first = newline === -1 ? output : output.slice(0, newline);
  const rest = newline === -1 ? '' : output.slice(newline + 1);
  const bar = first.indexOf('|');
  const message = (bar === -1 ? first : first.slice(0, bar)).trim();
  let perfText = bar === -1 ? '' : first.slice(bar + 1);
  const laterBar = rest.indexOf('|');
  // Parts are joined with a space: Nagios may not add one between them.
  if (laterBar !== -1) perfText += ` ${rest.slice(laterBar + 1)}`;
  return { message, perfdata: perfText === '' ? [] : parsePerfdata(perfText) };
}

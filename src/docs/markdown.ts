import type { AnyFactory } from '../component/types.js';
import { describeOptions, type OptionDoc } from './options.js';

export const OPTIONS_START = '<!-- options:start -->';
export const OPTIONS_END = '<!-- options:end -->';

/**
 * A component's option table for its README, generated from the schema so docs and config
 * cannot drift apart (STYLE.md, anti-pattern 5).
 */
export function renderOptionsTable(factory: AnyFactory): string {
  const lines = [`### \`${factory.type}\` ${factory.kind} — ${cell(factory.description)}`, ''];
  const signals = signalLine(factory);
  if (signals !== undefined) lines.push(signals, '');
  const options = describeOptions(factory.schema);
  if (options.length === 0) {
    lines.push('This component has no options.');
  } else {
    lines.push('| option | type | default | description |', '|---|---|---|---|');
    for (const option of options) lines.push(row(option));
  }
  return `${lines.join('\n')}\n`;
}

/** What flows through the component: the signals an exporter accepts, a processor's input → output, a receiver's part in discovery. */
export function signalLine(factory: AnyFactory): string | undefined {
  if (factory.kind === 'exporter') return `Accepts: ${factory.signals.join(', ')}.`;
  if (factory.kind === 'processor') return `Signals: ${factory.input} → ${factory.output}.`;
  if (factory.kind === 'extension') return 'An extension: listed in `service.extensions`, outside the pipelines.';
  if (factory.discovery?.publishes === true) return 'Publishes targets: other receivers may name it in their `targets_from`.';
  if (factory.discovery?.sourcesKey !== undefined) return `Takes targets from the registries named in \`${factory.discovery.sourcesKey}\`.`;
  return undefined;
}

function row(option: OptionDoc): string {
  const fallback = option.required ? '*required*' : '';
  const value = option.default === undefined ? fallback : `\`${cell(option.default)}\``;
  return `| \`${option.path}\` | ${cell(option.type)} | ${value} | ${cell(withRange(option))} |`;
}

/** The description followed by the accepted range, where the schema bounds the option. */
export function withRange(option: OptionDoc): string {
  if (option.range === undefined) return option.description;
  const description = option.description.trim();
  if (description === '') return `Range: ${option.range}.`;
  return `${description}${description.endsWith('.') ? '' : '.'} Range: ${option.range}.`;
}

/** Keeps a value inside one table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/**
 * Replaces the generated part of a README, between the marker lines, keeping the markers and
 * everything around them.
 */
export function updateReadme(readmeText: string, table: string): string {
  const lines = readmeText.split('\n');
  const start = lines.findIndex((line) => line.trim() === OPTIONS_START);
  const end = lines.findIndex((line, index) => index > start && line.trim() === OPTIONS_END);
  if (start === -1 || end === -1) {
    const missing = start === -1 ? OPTIONS_START : OPTIONS_END;
    throw new Error(
      `README has no "${missing}" line: put the lines ${OPTIONS_START} and ${OPTIONS_END} (in that order) where the options table belongs`,
    );
  }
  const body = table.endsWith('\n') ? table.slice(0, -1) : table;
  return [...lines.slice(0, start + 1), body, ...lines.slice(end)].join('\n');
}

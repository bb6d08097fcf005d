import { KIND_SECTIONS, KINDS, type AnyFactory } from '../component/types.js';
import { signalLine, withRange } from './markdown.js';
import { describeOptions, type OptionDoc } from './options.js';

/** What `healthpipe components` prints: every known type by kind, with its options. */
export function renderComponentsText(factories: readonly AnyFactory[]): string {
  const lines: string[] = [];
  for (const kind of KINDS) {
    const group = factories.filter((factory) => factory.kind === kind).sort((a, b) => a.type.localeCompare(b.type));
    if (lines.length > 0) lines.push('');
    lines.push(`${KIND_SECTIONS[kind]}:`);
    if (group.length === 0) lines.push('  (none)');
    for (const factory of group) lines.push(...component(factory));
  }
  return `${lines.join('\n')}\n`;
}

function component(factory: AnyFactory): string[] {
  const lines = [`  ${factory.type} — ${factory.description}`];
  const signals = signalLine(factory);
  if (signals !== undefined) lines.push(`    ${signals}`);
  const options = describeOptions(factory.schema);
  if (options.length === 0) lines.push('    (no options)');
  for (const option of options) {
    lines.push(`    ${option.path} (${summary(option)})`);
    const description = withRange(option);
    if (description !== '') lines.push(`        ${description.replace(/\s*\n\s*/g, ' ')}`);
  }
  return lines;
}

function summary(option: OptionDoc): string {
  if (option.default !== undefined) return `${option.type}, default ${option.default}`;
  return option.required ? `${option.type}, required` : `${option.type}, optional`;
}

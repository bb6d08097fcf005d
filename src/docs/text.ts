import type { z } from 'zod';
import { FACTORY_KINDS, KIND_SECTIONS, type AnyFactory } from '../component/types.js';
import { signalLine, withRange } from './markdown.js';
import { describeOptions, type OptionDoc } from './options.js';

/** What `healthpipe components` prints: every known type by kind, with its options. */
export function renderComponentsText(factories: readonly AnyFactory[]): string {
  const lines: string[] = [];
  for (const kind of FACTORY_KINDS) {
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
  return [...lines, ...optionLines(describeOptions(factory.schema), '    ')];
}

/**
 * The `service:` section of pipeline.yaml (the agent's own settings and its pipelines),
 * from its schema, written like a component's options.
 */
export function renderServiceText(schema: z.ZodType): string {
  const lines = ['service:', "  the agent's own settings and its pipelines", ...optionLines(describeOptions(schema), '    ')];
  return `${lines.join('\n')}\n`;
}

function optionLines(options: readonly OptionDoc[], indent: string): string[] {
  if (options.length === 0) return [`${indent}(no options)`];
  const lines: string[] = [];
  for (const option of options) {
    lines.push(`${indent}${option.path} (${summary(option)})`);
    const description = withRange(option);
    if (description !== '') lines.push(`${indent}    ${description.replace(/\s*\n\s*/g, ' ')}`);
  }
  return lines;
}

function summary(option: OptionDoc): string {
  if (option.default !== undefined) return `${option.type}, default ${option.default}`;
  return option.required ? `${option.type}, required` : `${option.type}, optional`;
}

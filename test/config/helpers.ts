import { expect } from 'vitest';
import type { ComponentRegistry } from '../../src/component/registry.js';
import { formatProblem, loadConfigFromSources, type ResolvedConfig } from '../../src/config/index.js';
import { testRegistry } from './registry.js';

export type Sources = string | Array<[name: string, text: string]>;
export type Env = Record<string, string | undefined>;

function toSources(sources: Sources): Array<{ name: string; text: string }> {
  return typeof sources === 'string'
    ? [{ name: 'pipeline.yaml', text: sources }]
    : sources.map(([name, text]) => ({ name, text }));
}

/** The formatted problems of a configuration that must fail. */
export function problemsOf(sources: Sources, env: Env = {}, registry: ComponentRegistry = testRegistry()): string[] {
  const result = loadConfigFromSources(toSources(sources), registry, env);
  if (result.ok) throw new Error('expected the configuration to be rejected, but it loaded');
  return result.problems.map(formatProblem);
}

/** The resolved configuration of a configuration that must load. */
export function configOf(sources: Sources, env: Env = {}, registry: ComponentRegistry = testRegistry()): ResolvedConfig {
  const result = loadConfigFromSources(toSources(sources), registry, env);
  if (!result.ok) expect.fail(`expected the configuration to load:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.config;
}

/** Lines joined with newlines, so each test shows its YAML with the line numbers it asserts. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A valid service section using every fake component, for tests that break one thing elsewhere. */
export const VALID_SERVICE = [
  'service:',
  '  pipelines:',
  '    metrics:',
  '      receivers: [poller]',
  '      exporters: [shipper]',
];

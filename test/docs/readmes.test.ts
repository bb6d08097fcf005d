import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/builtins.js';
import { readmePath } from '../../src/cli/components.js';
import { renderOptionsTable, updateReadme } from '../../src/docs/index.js';
import { SelfTelemetry } from '../../src/telemetry/self-telemetry.js';

const factories = builtinRegistry(new SelfTelemetry('docs-test')).all();

describe.each(factories.map((factory) => [`${factory.kind} ${factory.type}`, factory] as const))('README of %s', (_name, factory) => {
  it('has the option table its schema generates (run `npm run docs` after changing a schema)', () => {
    const readme = readFileSync(readmePath(factory), 'utf8');
    expect(updateReadme(readme, renderOptionsTable(factory))).toBe(readme);
  });
});

import { describe, expect, it } from 'vitest';
import { expectParseLikeCost } from './cost.js';
import { problemsOf, VALID_SERVICE, yaml } from './helpers.js';

describe('loading cost', () => {
  it('is linear in one long string', () => {
    // Today the URL-credential regex backtracks over the whole string at every letter: 64 KB ≈ 19 s.
    const text = yaml('receivers:', '  poller:', '    targets:', `      - service: "${'a'.repeat(64 * 1024)}"`, 'exporters: { shipper: {} }', ...VALID_SERVICE, '    unknown: 1');
    let problems: string[] = [];
    expectParseLikeCost(text, () => (problems = problemsOf(text)));
    expect(problems).toHaveLength(1);
  });

  it('is linear in the number of failed env references (each hides what the schema says below it)', () => {
    // Today every problem is checked against every failed reference: 300 KB ≈ 17 s.
    const references = Array.from({ length: 20_000 }, (_, index) => `          k${index}: \${x${index}}`);
    const text = yaml('receivers:', '  poller:', '    targets:', '      - service: api', '        labels:', ...references);
    let problems: string[] = [];
    expectParseLikeCost(text, () => (problems = problemsOf(text)));
    expect(problems).toContain(
      'pipeline.yaml:6:15: receivers.poller.targets[0].labels.k0: unsupported reference "${x0…}": write ${env:NAME} or ${env:NAME:-default}, or $$ for a literal $',
    );
  });

  it('shows a huge key shortened in the path of every problem below it', () => {
    const key = `metrics/${'x'.repeat(100_000)}`;
    const unknown = Array.from({ length: 2_000 }, (_, index) => `    bad${index}: 1`);
    const text = yaml('service:', '  pipelines:', `    ? ${key}`, '    :', ...unknown.map((line) => `  ${line}`));
    let problems: string[] = [];
    expectParseLikeCost(text, () => (problems = problemsOf(text)));
    const shown = `service.pipelines.metrics/${'x'.repeat(32)}…(${key.length} characters)`;
    expect(problems.filter((problem) => problem.includes(`${shown}.bad`))).toHaveLength(2_000);
    expect(Math.max(...problems.map((problem) => problem.length))).toBeLessThan(1_000);
  });
});

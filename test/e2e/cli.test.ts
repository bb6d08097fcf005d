import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { runCliSync } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('healthpipe validate', () => {
  it('names the file, line 7, the column and the unknown key, and exits 2', () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(
      file,
      [
        'receivers:',
        '  process:',
        '    targets:',
        '      - service: api',
        '        pid: 1',
        '    collection_interval: 5s',
        '    colection_intervall: 5s',
        'exporters:',
        '  console: {}',
        'service:',
        '  pipelines:',
        '    metrics: { receivers: [process], exporters: [console] }',
      ].join('\n'),
    );
    const result = runCliSync(['validate', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:7:5: receivers.process.colection_intervall: unknown key "colection_intervall"`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists every problem at once', () => {
    const file = join(dir, 'many.yaml');
    writeFileSync(
      file,
      'receivers:\n  nosuch: {}\nexporters:\n  console: { format: xml, output: "${env:HEALTHPIPE_UNSET_VARIABLE}" }\nservice:\n  pipelines:\n    metrics: { receivers: [nosuch], exporters: [console] }\n',
    );
    const result = runCliSync(['validate', '--config', file], { env: { HEALTHPIPE_UNSET_VARIABLE: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HEALTHPIPE_UNSET_VARIABLE');
    expect(result.stderr).toContain(`${file}:2:3: receivers.nosuch:`);
    expect(result.stderr).toContain(`${file}:4:22: exporters.console.format:`);
  });

  it('accepts the shipped pipeline.yaml and exits 0', () => {
    const result = runCliSync(['validate', '--config', join(packageRoot(), 'pipeline.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid \(3 pipelines, 3 receivers, 1 processor, 2 exporters, 1 extension\)/);
  });

  it("accepts the annotated pipeline.yaml of the README", () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const file = join(dir, 'readme.yaml');
    writeFileSync(file, example!);
    const result = runCliSync(['validate', '--config', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('merges several --config files in order: later wins, lists replaced, positions from the right file', () => {
    const base = join(dir, 'base.yaml');
    const override = join(dir, 'override.yaml');
    writeFileSync(
      base,
      'receivers:\n  process:\n    targets: [{ service: a, self: true }]\nexporters:\n  console: { format: json }\nservice:\n  pipelines:\n    metrics: { receivers: [process], exporters: [console] }\n',
    );
    writeFileSync(override, 'receivers:\n  process:\n    collection_interval: 5x\n');
    const result = runCliSync(['validate', '--config', base, '--config', override]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${override}:3:26: receivers.process.collection_interval: expected a duration`);
    writeFileSync(override, 'receivers:\n  process:\n    collection_interval: 5s\n');
    expect(runCliSync(['validate', '--config', base, '--config', override]).code).toBe(0);
  });

  it('reports a missing file as a problem, not a crash', () => {
    const result = runCliSync(['validate', '--config', join(dir, 'absent.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('absent.yaml');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('healthpipe components, --help, --version', () => {
  it('lists every built-in type with its options from the schemas', () => {
    const result = runCliSync(['components']);
    expect(result.code).toBe(0);
    for (const type of ['process', 'internal', 'window', 'console']) expect(result.stdout).toContain(type);
    expect(result.stdout).toContain('collection_interval');
    expect(result.stdout).toContain('aggregates');
  });

  it('prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    const result = runCliSync(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('prints help with every command', () => {
    const result = runCliSync(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['run', 'validate', 'components']) expect(result.stdout).toContain(command);
  });

  it('rejects an unknown command with exit 2', () => {
    const result = runCliSync(['frobnicate']);
    expect(result.code).toBe(2);
  });
});

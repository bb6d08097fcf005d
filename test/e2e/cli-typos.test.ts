import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliSync } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-typos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a word that is not a command', () => {
  it('is an unknown command with a suggestion, exit 2, not "too many arguments for \'run\'"', () => {
    const result = runCliSync(['valdate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'valdate'\n(Did you mean validate?)");
    expect(result.stderr).not.toContain('too many arguments');
  });

  it('is unknown without a suggestion when nothing is close, also after the options', () => {
    const result = runCliSync(['--config', 'x.yaml', 'frobnicate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'frobnicate'");
    expect(result.stderr).not.toContain('Did you mean');
  });

  it('says that a command written after the options comes first', () => {
    const result = runCliSync(['--config', 'x.yaml', 'validate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: the command comes first: healthpipe validate [options]');
  });

  it("after an explicit run, is a word too many for 'run'", () => {
    const result = runCliSync(['run', 'valdate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: too many arguments for 'run': 'valdate'");
  });
});

describe('run with a bad configuration', () => {
  it('prints each problem on its line, the summary, then the code on its own line, and exits 2', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'receivers:\n  process:\n    targets: [{ service: x, pid: nope }]\n    colour: blue\nexporters:\n  console: {}\nservice:\n  pipelines:\n    metrics: { receivers: [process], exporters: [console] }\n',
    );
    const result = runCliSync(['run', '--config', file], { cwd: dir });
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^${file}:3:\\d+: receivers\\.process\\.targets\\[0\\]\\.pid: `));
    expect(lines[1]).toMatch(new RegExp(`^${file}:4:5: receivers\\.process\\.colour: unknown key "colour"`));
    expect(lines[2]).toBe(`${file}: 2 problems`);
    expect(lines[3]).toBe('healthpipe: not started [CONFIG_INVALID]');
  });

  it('with an explicit --config that does not exist, fails as before: exit 2, the file named', () => {
    const result = runCliSync(['--config', join(dir, 'absent.yaml')], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'absent.yaml')}: cannot read the configuration: no such file`);
    expect(result.stderr).not.toContain('embedded default');
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { runCliSync } from '../helpers/cli.js';

/** The README's second example, shipped as examples/alerting.yaml: valid, and the same text in both places. */

const example = join(packageRoot(), 'examples', 'alerting.yaml');
const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/alerting.yaml', () => {
  it('is valid for `healthpipe validate`: one alerts pipeline health_check → window → threshold → cooldown', () => {
    // Run where its ./data may be created, as a user trying it would.
    const result = runCliSync(['validate', '--config', example], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid \(1 pipeline, 1 receiver, 3 processors, 2 exporters\)/);
  });

  it('is the annotated example of the README, line for line', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
    const file = readFileSync(example, 'utf8');
    // The file opens with two lines saying what it is and where the README explains it.
    const body = file.split('\n').slice(2).join('\n');
    expect(blocks).toContain(body);
  });
});

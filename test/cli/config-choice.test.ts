import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseRunConfig } from '../../src/cli/config-choice.js';
import { packageRoot } from '../../src/package-root.js';

const empty = mkdtempSync(join(tmpdir(), 'healthpipe-choice-'));
const withFile = mkdtempSync(join(tmpdir(), 'healthpipe-choice-'));
writeFileSync(join(withFile, 'pipeline.yaml'), 'receivers: {}\n');
afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
  rmSync(withFile, { recursive: true, force: true });
});

describe('the configuration run reads', () => {
  it('takes the --config files as given, even when they do not exist', () => {
    expect(chooseRunConfig(['/nowhere/x.yaml'], empty)).toEqual({ files: ['/nowhere/x.yaml'] });
  });

  it("takes this directory's pipeline.yaml when there is one", () => {
    expect(chooseRunConfig(undefined, withFile)).toEqual({ files: ['pipeline.yaml'] });
  });

  it('falls back to the embedded default, with its store in this directory rather than in the package', () => {
    const file = join(packageRoot(), 'pipeline.yaml');
    expect(chooseRunConfig(undefined, empty)).toEqual({ files: [file], embedded: { file, dataDir: join(empty, 'data') } });
  });
});

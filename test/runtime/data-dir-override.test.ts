import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/runtime/runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-data-dir-override-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (dataDir: string): string => `receivers:
  internal: {}
exporters:
  console: {}
service:
  data_dir: ${dataDir}
  pipelines:
    metrics: { receivers: [internal], exporters: [console] }
`;

describe('loadWithBuiltins with a data_dir given from outside the files (the embedded default)', () => {
  it("checks the directory the store will use, and never creates the files' own", async () => {
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, config('/proc/healthpipe-never'));
    const here = join(dir, 'here', 'data');
    const { result, selfTelemetry } = await loadWithBuiltins([file], {}, here);
    await selfTelemetry.shutdown();
    // Before, the files' data_dir was checked (and created) instead: the package's own ./data.
    expect(result.ok).toBe(true);
    expect(result.ok && result.config.service.dataDir).toBe(here);
    expect(existsSync(here)).toBe(true);
  });

  it("reports the given directory's problem at the files' data_dir", async () => {
    const file = join(dir, 'other.yaml');
    writeFileSync(file, config('./data'));
    const { result, selfTelemetry } = await loadWithBuiltins([file], {}, '/proc/healthpipe-never');
    await selfTelemetry.shutdown();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatchObject({ file, line: 6, column: 13, path: 'service.data_dir' });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { startCli } from '../helpers/cli.js';
import { exitWithin } from './exit-within.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-start-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API = JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'index.js')).href);

// What a 400-digit duration did to the window processor: its create() threw on Infinity.
writeFileSync(
  join(dir, 'plugin.mjs'),
  `import { defineProcessor, z } from ${API};
export const apiVersion = 1;
export const components = [
  defineProcessor({
    type: 'unstartable',
    description: 'a processor whose create() throws',
    input: 'metrics',
    output: 'metrics',
    schema: z.strictObject({}),
    create: () => { throw new RangeError('size must be a positive number of ms, got Infinity'); },
  }),
];
`,
);

describe('a pipeline that cannot start', () => {
  it('stops `run` with the reason instead of running without it', async () => {
    const config = join(dir, 'pipeline.yaml');
    writeFileSync(
      config,
      `plugins: [./plugin.mjs]
receivers:
  process:
    collection_interval: 200ms
    targets: [{ service: me, self: true }]
processors:
  unstartable: {}
exporters:
  console: { format: json }
service:
  data_dir: ./data
  pipelines:
    metrics:
      receivers: [process]
      processors: [unstartable]
      exporters: [console]
`,
    );
    const cli = startCli(['run', '--config', config], { cwd: dir });
    // Today: "healthpipe started", a pipeline that never runs, and exit 0 at the end.
    expect(await exitWithin(cli, 20_000)).toBe(1);
    const stderr = cli.stderrLines.join('\n');
    expect(stderr).toContain(
      'healthpipe: pipeline metrics: processor unstartable could not be created: size must be a positive number of ms, got Infinity [COMPONENT_CREATE]',
    );
    expect(stderr).not.toContain('healthpipe started');
  });
});

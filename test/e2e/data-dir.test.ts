import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { exitWithin } from './exit-within.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-data-dir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Today both spin for ever in mkdir; a Node start-up is far below this. */
const ENDS_MS = 20_000;

const config = join(dir, 'proc.yaml');
writeFileSync(
  config,
  `receivers:
  process:
    targets: [{ service: me, self: true }]
exporters:
  console: {}
service:
  data_dir: /proc/healthpipe-x
  pipelines:
    metrics:
      receivers: [process]
      exporters: [console]
`,
);
const problem = `${config}:7:13: service.data_dir: cannot use the data directory /proc/healthpipe-x: the parent does not accept new directories (creating /proc/healthpipe-x)`;

describe.runIf(process.platform === 'linux')('a data_dir where nothing can be created', () => {
  it('is a problem at service.data_dir for `validate`, exit 2', async () => {
    const cli = startCli(['validate', '--config', config], { cwd: dir });
    expect(await exitWithin(cli, ENDS_MS)).toBe(2);
    expect(cli.stderrLines).toContain(problem);
  });

  it('stops `run` before it starts, with the same reason, exit 2', async () => {
    const cli = startCli(['run', '--config', config], { cwd: dir });
    expect(await exitWithin(cli, ENDS_MS)).toBe(2);
    expect(cli.stderrLines.join('\n')).toContain(problem);
    expect(cli.stderrLines.join('\n')).not.toContain('healthpipe started');
  });
});

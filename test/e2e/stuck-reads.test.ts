import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonLine, startCli, type CliRun } from '../helpers/cli.js';
import { processPipelineYaml } from '../helpers/process-pipeline.js';
import { exitWithin } from './exit-within.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-stuck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fifo = join(dir, 'api.pid');
execFileSync('mkfifo', [fifo]);

/** How long a stop may take here: below the 5 s shutdown_timeout, far above a real stop. */
const PROMPT_STOP_MS = 4_000;
/** A validate that waits for a writer never ends; one that does not takes a Node start-up. */
const VALIDATE_ENDS_MS = 20_000;

/** The agent watching itself and a target whose pid_file is the FIFO, once it has reported both. */
async function startBesideFifo(): Promise<CliRun> {
  const config = join(dir, 'fifo-pid.yaml');
  writeFileSync(
    config,
    processPipelineYaml(`      - service: me
        self: true
      - service: api
        pid_file: ${fifo}`),
  );
  const cli = startCli(['run', '--config', config], { cwd: dir });
  await cli.waitForLine('stdout', (line) => {
    const point = parseJsonLine(line) as { name?: string; resource?: Record<string, unknown> } | undefined;
    return point?.name === 'process.memory.usage' && point.resource?.['service.name'] === 'me';
  });
  await cli.waitForLine('stderr', (line) => line.includes('is a FIFO, not a regular file'));
  return cli;
}

describe('files that would block a read', () => {
  it('keeps reporting `self` beside a FIFO pid_file, and one SIGINT stops the agent promptly with 0', async () => {
    const cli = await startBesideFifo();
    const started = Date.now();
    cli.child.kill('SIGINT');
    // Today the agent logs "stopped" and then never exits: the exit waits for a thread stuck opening the FIFO.
    expect(await exitWithin(cli, PROMPT_STOP_MS)).toBe(0);
    expect(Date.now() - started).toBeLessThan(PROMPT_STOP_MS);
  });

  it('exits at once on a second SIGINT right behind the first', async () => {
    const cli = await startBesideFifo();
    cli.child.kill('SIGINT');
    cli.child.kill('SIGINT');
    // 0 when the stop finished before the second signal came, 130 when the second cut it short.
    expect([0, 130]).toContain(await exitWithin(cli, PROMPT_STOP_MS));
  });

  it('`validate --config <fifo>` ends with a problem and exit 2 instead of waiting for a writer', async () => {
    const cli = startCli(['validate', '--config', fifo], { cwd: dir });
    expect(await exitWithin(cli, VALIDATE_ENDS_MS)).toBe(2);
    expect(cli.stderrLines).toContain(`${fifo}: cannot read the configuration: is a FIFO, not a regular file`);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseJsonLine, startCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-metrics-interval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(interval: string): string {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(
    path,
    `receivers:
  internal: {}
exporters:
  console: { format: json }
service:
  data_dir: ./data
  telemetry:
    metrics: { interval: ${interval} }
  pipelines:
    metrics: { receivers: [internal], exporters: [console] }
`,
  );
  return path;
}

/** One line per read of the agent's own metrics: the internal receiver's own count. */
function isOwnCount(line: string): boolean {
  const point = parseJsonLine(line);
  return point?.name === 'healthpipe.receiver.accepted_points' && (point.attributes as Record<string, unknown>)['component'] === 'internal';
}

function reads(lines: readonly string[]): number {
  return lines.filter(isOwnCount).length;
}

describe('service.telemetry.metrics.interval', () => {
  it('is how often the internal receiver reads, from the start and after a reload that changes it', async () => {
    const cli = startCli(['run', '--config', writeConfig('24h')], { cwd: dir });
    onTestFinished(() => void cli.child.kill('SIGKILL'));
    await cli.waitForLine('stdout', isOwnCount);
    await cli.waitForLine('stderr', (line) => line.includes('healthpipe started'));
    expect(reads(cli.stdoutLines)).toBe(1);

    writeConfig('100ms');
    cli.child.kill('SIGHUP');
    // 15 s (the default) or 24 h would give no third read in time.
    await cli.waitForLine('stdout', () => reads(cli.stdoutLines) >= 3, 10_000);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('applies at start', async () => {
    const cli = startCli(['run', '--config', writeConfig('100ms')], { cwd: dir });
    onTestFinished(() => void cli.child.kill('SIGKILL'));
    await cli.waitForLine('stdout', () => reads(cli.stdoutLines) >= 3, 10_000);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});

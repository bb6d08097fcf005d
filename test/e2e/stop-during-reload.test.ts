import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { parseJsonLine, startCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-stop-reload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The plugin imports the public API as an installed package would: the built entry point.
const API = JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'index.js')).href);

writeFileSync(
  join(dir, 'plugin.mjs'),
  `import { defineExporter, z } from ${API};
export const apiVersion = 1;
export const components = [
  defineExporter({
    type: 'hanging',
    description: 'an exporter that never finishes taking a batch, when told to hang',
    signals: ['metrics'],
    schema: z.strictObject({ hang: z.boolean() }),
    create: (config) => ({
      consume: () => (config.hang ? new Promise(() => {}) : undefined),
      async flush() {},
      async shutdown() {},
    }),
  }),
];
`,
);

function writeConfig(hang: boolean): string {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(
    path,
    `plugins: [./plugin.mjs]
receivers:
  process:
    collection_interval: 200ms
    targets: [{ service: alive, self: true }]
exporters:
  console: { format: json }
  hanging: { hang: ${hang} }
service:
  data_dir: ./data
  shutdown_timeout: 60s
  pipelines:
    metrics:
      receivers: [process]
      exporters: [console, hanging]
`,
  );
  return path;
}

describe('a stop behind a reload that waits on a hung exporter', () => {
  it('does not wait for the reload: it flushes and exits 0 long before shutdown_timeout', async () => {
    const cli = startCli(['run', '--config', writeConfig(true)], { cwd: dir });
    onTestFinished(() => void cli.child.kill('SIGKILL'));
    const isPoint = (line: string): boolean => parseJsonLine(line)?.name === 'process.memory.usage';
    await cli.waitForLine('stdout', isPoint);
    // The hanging exporter holds its first batch for ever; replacing it makes the reload wait.
    writeConfig(false);
    cli.child.kill('SIGHUP');
    // Points still flow while the reload waits (60 s at most, its shutdown_timeout).
    const seen = cli.stdoutLines.length;
    await cli.waitForLine('stdout', (line) => cli.stdoutLines.indexOf(line) > seen && isPoint(line));
    expect(cli.stderrLines.join('\n')).not.toContain('configuration reloaded');

    cli.child.kill('SIGTERM');
    await cli.waitForLine('stderr', (line) => line.includes('healthpipe stopped'), 15_000);
    expect(await cli.exited).toBe(0);
    const stderr = cli.stderrLines.join('\n');
    expect(stderr).not.toContain('shutdown deadline passed');
    expect(stderr).toContain('reload cut short: healthpipe is stopping');
    expect(stderr).not.toContain('configuration reloaded');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { parseJsonLine, startCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-plugins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The plugin imports the public API as an installed package would: the built entry point.
const API = JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'index.js')).href);
// …and rxjs as its own dependency, which resolves to the same copy as the agent's.
const RXJS = JSON.stringify(pathToFileURL(join(packageRoot(), 'node_modules', 'rxjs', 'dist', 'cjs', 'index.js')).href);

writeFileSync(
  join(dir, 'plugin.mjs'),
  `import { defineExporter, defineReceiver, z } from ${API};
import rxjs from ${RXJS};
export const apiVersion = 1;
export const components = [
  defineReceiver({
    type: 'crashing',
    description: 'a receiver that fails at once, every time',
    schema: z.strictObject({}),
    create: () => rxjs.defer(() => { throw new Error('plugin bug'); }),
  }),
  defineExporter({
    type: 'stuck',
    description: 'an exporter whose flush never finishes',
    signals: ['metrics'],
    schema: z.strictObject({}),
    create: () => ({ consume() {}, flush: () => new Promise(() => {}), async shutdown() {} }),
  }),
  defineExporter({
    type: 'leaky',
    description: 'an exporter that puts its token in its errors',
    signals: ['metrics'],
    schema: z.strictObject({ token: z.string() }),
    create: (config) => ({
      consume() { throw new Error('401 Unauthorized for token ' + config.token); },
      async flush() {},
      async shutdown() {},
    }),
  }),
];
`,
);

function config(name: string, exporters: string[]): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `plugins: [./plugin.mjs]
receivers:
  crashing: {}
  process:
    collection_interval: 200ms
    targets: [{ service: alive, self: true }]
exporters:
  console: { format: json }
${exporters.includes('stuck') ? '  stuck: {}\n' : ''}${exporters.includes('leaky') ? '  leaky: { token: "${env:LEAKY_TOKEN}" }\n' : ''}service:
  shutdown_timeout: 60s
  pipelines:
    metrics:
      receivers: [crashing, process]
      exporters: [${exporters.join(', ')}]
`,
  );
  return path;
}

describe('plugins in a running agent', () => {
  it('reports a crashing plugin receiver and keeps the rest running', async () => {
    const cli = startCli(['run', '--config', config('crash.yaml', ['console'])], { cwd: dir });
    await cli.waitForLine('stderr', (line) => line.includes('receiver failed; restarting') && line.includes('plugin bug'));
    const point = await cli.waitForLine('stdout', (line) => parseJsonLine(line)?.name === 'process.memory.usage');
    expect(point).toContain('"alive"');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('exits at once on a second signal while a plugin exporter hangs the flush', async () => {
    const cli = startCli(['run', '--config', config('stuck.yaml', ['console', 'stuck'])], { cwd: dir });
    await cli.waitForLine('stdout', (line) => parseJsonLine(line)?.name === 'process.memory.usage');
    cli.child.kill('SIGTERM');
    // The first signal starts a shutdown that cannot finish before its 60 s deadline.
    await cli.waitForLine('stderr', (line) => line.includes('healthpipe stopping'));
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(130);
    expect(cli.stderrLines.join('\n')).toContain('again, exiting without flushing');
  });

  it("never writes a secret from the configuration into the logs, even when a plugin's error carries it", async () => {
    const token = 'tok-7f3a9c1e5b2d';
    const cli = startCli(['run', '--config', config('leaky.yaml', ['console', 'leaky'])], {
      cwd: dir,
      env: { LEAKY_TOKEN: token },
    });
    const refused = await cli.waitForLine('stderr', (line) => line.includes('exporter refused a batch'));
    expect(refused).toContain('401 Unauthorized for token ***');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stderrLines.join('\n')).not.toContain(token);
  });
});

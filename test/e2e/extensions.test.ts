import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { runCliSync, startCli } from '../helpers/cli.js';
import { listenOnFreePort } from '../helpers/local-server.js';
import { freePort } from '../exporters/prometheus/scrape.js';
import { exitWithin } from './exit-within.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-extensions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API = JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'index.js')).href);

// An extension that binds a TCP port, as the http extension does.
writeFileSync(
  join(dir, 'tcp-probe.mjs'),
  `import { createServer } from 'node:net';
import { defineExtension, port, z } from ${API};
export const apiVersion = 1;
export const components = [
  defineExtension({
    type: 'tcp_probe',
    description: 'answers TCP connections while the agent runs',
    schema: z.strictObject({ port: port().describe('The port on 127.0.0.1.') }),
    create(config, context) {
      const server = createServer((socket) => socket.end(context.components.list().map((s) => s.id + '=' + s.state).join(',')));
      return {
        start: () => new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.port, '127.0.0.1', () => resolve());
        }),
        shutdown: () => new Promise((resolve) => server.close(() => resolve())),
      };
    },
  }),
];
`,
);

function config(port: number): string {
  const file = join(dir, `pipeline-${port}.yaml`);
  writeFileSync(
    file,
    `plugins: [./tcp-probe.mjs]
receivers:
  process:
    collection_interval: 200ms
    targets: [{ service: me, self: true }]
exporters:
  file: { path: ./out.jsonl }
extensions:
  tcp_probe: { port: ${port} }
service:
  data_dir: ./data-${port}
  extensions: [tcp_probe]
  pipelines:
    metrics: { receivers: [process], exporters: [file] }
`,
  );
  return file;
}

function answerOf(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text)).on('error', reject);
  });
}

describe('an extension in `healthpipe run`', () => {
  it('stops the run, non-zero, naming the extension and the reason, when it cannot start', async () => {
    const holder = await listenOnFreePort(createServer());
    try {
      const cli = startCli(['run', '--config', config(holder.port)], { cwd: dir });
      expect(await exitWithin(cli, 30_000)).toBe(1);
      const stderr = cli.stderrLines.join('\n');
      expect(stderr).toMatch(/healthpipe: extension tcp_probe could not start: .*EADDRINUSE.* \[COMPONENT_START\]/);
      expect(stderr).not.toContain('healthpipe started');
    } finally {
      await holder.close();
    }
  });

  it('serves while the agent runs, reading the component statuses, and is gone after SIGTERM', async () => {
    const port = await freePort();
    const cli = startCli(['run', '--config', config(port)], { cwd: dir });
    await cli.waitForLine('stderr', (line) => line.includes('healthpipe started'));
    expect(await answerOf(port)).toBe('process=running,file=running,tcp_probe=running');
    cli.child.kill('SIGTERM');
    expect(await exitWithin(cli, 30_000)).toBe(0);
    await expect(answerOf(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('is listed by `healthpipe components --config`', () => {
    const result = runCliSync(['components', '--config', config(1)], { cwd: dir });
    expect(result.code).toBe(0);
    // Under the extensions, after the built-in ones (http).
    expect(result.stdout.slice(result.stdout.indexOf('\nextensions:\n'))).toContain(
      [
        '  tcp_probe — answers TCP connections while the agent runs',
        '    An extension: listed in `service.extensions`, outside the pipelines.',
        '    port (integer, required)',
      ].join('\n'),
    );
  });
});

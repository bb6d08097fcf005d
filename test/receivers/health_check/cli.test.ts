import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonLine, runCliSync, startCli } from '../../helpers/cli.js';
import { componentEnv, requireComponent } from '../../helpers/components.js';
import { startTcpServer, type TcpServer } from './servers.js';

type JsonPoint = { name: string; value: number; unit: string; attributes: Record<string, unknown>; resource: Record<string, unknown> };

let dir: string;
let server: TcpServer;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'healthpipe-health-check-'));
  server = await startTcpServer();
  port = server.port;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

function pointOf(service: string, name: string) {
  return (line: string): boolean => {
    const point = parseJsonLine(line) as JsonPoint | undefined;
    return point?.name === name && point.resource['service.name'] === service;
  };
}

describe('healthpipe run with a health_check receiver', () => {
  it('prints a JSON point per check for a TCP server, a refused port and check_tcp, then exits 0 on SIGTERM', async () => {
    const checkTcp = requireComponent('usr/lib/nagios/plugins/check_tcp');
    const libraries = componentEnv({})['LD_LIBRARY_PATH'];
    const config = join(dir, 'pipeline.yaml');
    writeFileSync(
      config,
      `receivers:
  health_check:
    collection_interval: 200ms
    timeout: 2s
    targets:
      - service: db
        tcp: { host: 127.0.0.1, port: ${port} }
        labels: { team: data }
      - service: gone
        tcp: { host: 127.0.0.1, port: 1 }
      - service: plugin
        exec:
          command: [${JSON.stringify(checkTcp)}, -H, 127.0.0.1, -p, "${port}"]
          env: { LD_LIBRARY_PATH: ${JSON.stringify(libraries ?? '')} }
exporters:
  console:
    format: json
service:
  data_dir: ./data
  pipelines:
    metrics:
      receivers: [health_check]
      exporters: [console]
`,
    );
    const cli = startCli(['run', '--config', config], { cwd: dir });
    try {
      const up = parseJsonLine(await cli.waitForLine('stdout', pointOf('db', 'healthcheck.up'))) as JsonPoint;
      expect(up.value).toBe(1);
      expect(up.resource).toEqual({ team: 'data', 'service.name': 'db', 'service.instance.id': `127.0.0.1:${port}` });
      const refused = parseJsonLine(
        await cli.waitForLine('stdout', (line) => pointOf('gone', 'healthcheck.error')(line) && line.includes('connection_refused')),
      ) as JsonPoint;
      expect(refused).toMatchObject({ value: 1, attributes: { 'error.type': 'connection_refused' } });
      const perfdata = parseJsonLine(await cli.waitForLine('stdout', pointOf('plugin', 'healthcheck.perfdata'))) as JsonPoint;
      expect(perfdata).toMatchObject({ unit: 's', attributes: { label: 'time' } });
      const state = parseJsonLine(await cli.waitForLine('stdout', pointOf('plugin', 'healthcheck.state'))) as JsonPoint;
      expect(state.value).toBe(0);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  });

  it('refuses a target with two kinds of check, naming its path, in validate', () => {
    const config = join(dir, 'two-kinds.yaml');
    writeFileSync(
      config,
      `receivers:
  health_check:
    targets:
      - service: db
        tcp: { host: 127.0.0.1, port: 5432 }
        exec: { command: [/bin/true] }
exporters:
  console: {}
service:
  pipelines:
    metrics:
      receivers: [health_check]
      exporters: [console]
`,
    );
    const result = runCliSync(['validate', '--config', config]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('receivers.health_check.targets[0]');
    expect(result.stderr).toContain('exactly one of http, tcp or exec, not tcp and exec');
  });
});

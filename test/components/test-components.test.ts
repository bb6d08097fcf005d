import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { componentEnv, requireComponent } from '../helpers/components.js';

interface Run {
  code: number | null;
  stdout: string;
}

/** Runs a program with argv (never a shell) and resolves with its exit code, whatever it is. */
function run(program: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: componentEnv(), timeout: 10_000 }, (error, stdout) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : (error.code as number), stdout });
    });
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('Nagios check_tcp from Debian', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  it('reports OK (exit 0) for a port that accepts connections', async () => {
    const checkTcp = requireComponent('usr/lib/nagios/plugins/check_tcp');
    const server = createServer((socket) => socket.end());
    servers.push(server);
    const port = await listen(server);

    const result = await run(checkTcp, ['-H', '127.0.0.1', '-p', String(port), '-t', '5']);

    expect(result.stdout).toMatch(/^TCP OK/);
    expect(result.code).toBe(0);
  });

  it('reports CRITICAL (exit 2) for a closed port', async () => {
    const checkTcp = requireComponent('usr/lib/nagios/plugins/check_tcp');
    // A port that was free a moment ago is the closest thing to a port known to be closed.
    const probe = createServer();
    const port = await listen(probe);
    await close(probe);

    const result = await run(checkTcp, ['-H', '127.0.0.1', '-p', String(port), '-t', '5']);

    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/refused|CRITICAL/i);
  });
});

describe('requireComponent', () => {
  it('fails with how to get a program that is missing, never skipping', () => {
    expect(() => requireComponent('usr/bin/healthpipe-no-such-program')).toThrow(
      /not found .*scripts\/test-components\.list.*bash scripts\/test-components\.sh/,
    );
  });

  it('names the script and the Debian package of a listed program', () => {
    const previous = process.env['HEALTHPIPE_TEST_COMPONENTS'];
    process.env['HEALTHPIPE_TEST_COMPONENTS'] = '/nonexistent/healthpipe-cache';
    try {
      const found = (() => {
        try {
          return requireComponent('usr/lib/nagios/plugins/check_tcp');
        } catch (error) {
          return (error as Error).message;
        }
      })();
      // Installed system-wide the program is found there; otherwise the message says how to get it.
      if (found.startsWith('/usr/')) expect(found).toBe('/usr/lib/nagios/plugins/check_tcp');
      else {
        expect(found).toContain('bash scripts/test-components.sh');
        expect(found).toContain('apt-get install monitoring-plugins-basic');
      }
    } finally {
      if (previous === undefined) delete process.env['HEALTHPIPE_TEST_COMPONENTS'];
      else process.env['HEALTHPIPE_TEST_COMPONENTS'] = previous;
    }
  });
});

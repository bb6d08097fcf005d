import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../receivers/process/backend.js';
import { joinArguments, ProcfsBackend } from '../../../receivers/process/procfs-backend.js';
import { TCP_STATES } from '../../../receivers/process/sockets/tcp-table.js';

const linux = process.platform === 'linux';
const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const stat = readFileSync(join(testdata, 'command-with-spaces-and-parens.stat'), 'latin1');

/** A /proc tree with one process (4242) holding the sockets 1001 (listen), 1002 and 2002 (established). */
function goldenProc(): string {
  const root = mkdtempSync(join(tmpdir(), 'healthpipe-proc-metrics-'));
  cpSync(join(testdata, 'proc', 'net'), join(root, 'net'), { recursive: true });
  mkdirSync(join(root, '4242', 'fd'), { recursive: true });
  writeFileSync(join(root, '4242', 'stat'), stat);
  writeFileSync(join(root, '4242', 'io'), readFileSync(join(testdata, 'proc-io.txt')));
  writeFileSync(join(root, '4242', 'cmdline'), 'api\0--port\x008080\0');
  for (const [fd, target] of [['3', 'socket:[1001]'], ['4', 'socket:[1002]'], ['5', 'socket:[2002]'], ['6', 'pipe:[7]']]) {
    symlinkSync(target!, join(root, '4242', 'fd', fd!));
  }
  return root;
}

function countsByState(sample: ProcessSample): Record<string, number> {
  const out: Record<string, number> = {};
  TCP_STATES.forEach((state, index) => {
    const count = sample.connections?.[index] ?? 0;
    if (count > 0) out[state] = count;
  });
  return out;
}

describe.runIf(linux)('ProcfsBackend beyond the default set, on a golden /proc tree', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const tree = () => {
    const root = goldenProc();
    roots.push(root);
    return root;
  };
  const all = (procRoot: string) => new ProcfsBackend({ fileDescriptors: false, diskIo: true, connections: true, commandLine: true, procRoot });

  it('reads disk I/O, TCP connections by state and the command line', async () => {
    const backend = all(tree());
    const [sample] = await backend.read([4242]);
    expect(sample).toMatchObject({ ok: true, diskRead: 4096, diskWrite: 323932160, commandLine: 'api --port 8080', partialFailures: undefined });
    expect(countsByState(sample as ProcessSample)).toEqual({ listen: 1, established: 2 });
    expect((sample as ProcessSample).connections).toHaveLength(TCP_STATES.length);
    backend.close();
  });

  it('reads nothing beyond stat when those metrics are off', async () => {
    const backend = new ProcfsBackend({ fileDescriptors: false, procRoot: tree() });
    const [sample] = await backend.read([4242]);
    expect(sample).toMatchObject({ ok: true, diskRead: undefined, connections: undefined, commandLine: undefined });
    backend.close();
  });

  it('reads the command line once per process, and again for a new process under the same PID', async () => {
    const root = tree();
    const backend = all(root);
    await backend.read([4242]);
    writeFileSync(join(root, '4242', 'cmdline'), 'changed\0');
    expect(await backend.read([4242])).toMatchObject([{ commandLine: 'api --port 8080' }]);
    // The PID now names a process started later: its kept stat descriptor is replaced.
    backend.close();
    const again = all(root);
    writeFileSync(join(root, '4242', 'stat'), stat.replace(' 889900 ', ' 989900 '));
    expect(await again.read([4242])).toMatchObject([{ commandLine: 'changed' }]);
    again.close();
  });

  it('reports an unreadable /proc/PID/io as a partial failure and keeps the rest of the sample', async () => {
    const root = tree();
    rmSync(join(root, '4242', 'io'));
    const backend = all(root);
    const [sample] = await backend.read([4242]);
    expect(sample).toMatchObject({
      ok: true,
      memoryVirtual: 1077329920,
      diskRead: undefined,
      partialFailures: [{ metric: 'process.disk.io', errorType: 'not_found', code: 'ENOENT' }],
    });
    expect(countsByState(sample as ProcessSample)).toEqual({ listen: 1, established: 2 });
    backend.close();
  });

  it('reports unreadable TCP tables or fd directory as a partial failure of the connection count', async () => {
    const noTables = tree();
    rmSync(join(noTables, 'net'), { recursive: true });
    const first = all(noTables);
    expect(await first.read([4242])).toMatchObject([
      { ok: true, diskRead: 4096, connections: undefined, partialFailures: [{ metric: 'process.network.connection.count', errorType: 'not_found' }] },
    ]);
    first.close();

    const noFds = tree();
    rmSync(join(noFds, '4242', 'fd'), { recursive: true });
    const second = all(noFds);
    expect(await second.read([4242])).toMatchObject([
      { ok: true, connections: undefined, partialFailures: [{ metric: 'process.network.connection.count', errorType: 'not_found', code: 'ENOENT' }] },
    ]);
    second.close();
  });
});

describe('joinArguments', () => {
  it('joins NUL-separated arguments with spaces; a kernel thread has none', () => {
    expect(joinArguments('node\0-e\0setInterval(() => {}, 1000)\0')).toBe('node -e setInterval(() => {}, 1000)');
    expect(joinArguments('')).toBeUndefined();
    expect(joinArguments('sh\0\0')).toBe('sh');
  });
});

import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A real process holding known TCP sockets: one listening socket on 127.0.0.1 and
 * `connections` connections to itself, so it holds 1 listen and 2 × connections
 * established sockets (both ends). Prints its port once everything is connected.
 */
const SCRIPT = `
const net = require('node:net');
const count = Number(process.argv[1]);
const held = [];
const server = net.createServer((socket) => held.push(socket));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  let connected = 0;
  for (let i = 0; i < count; i++) {
    const client = net.connect(port, '127.0.0.1', () => {
      held.push(client);
      if (++connected === count) setTimeout(() => process.stdout.write(port + '\\n'), 50);
    });
  }
  if (count === 0) process.stdout.write(port + '\\n');
});
setInterval(() => {}, 1000);
`;

export interface TcpHolder {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startTcpHolder(connections: number): Promise<TcpHolder> {
  const child = spawn(process.execPath, ['-e', SCRIPT, String(connections)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`tcp holder exited with ${code}`)));
  });
  return {
    child,
    pid: child.pid!,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

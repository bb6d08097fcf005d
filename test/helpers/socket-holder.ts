import type { ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import type { Programs } from './programs.js';

/**
 * A child Node.js process holding TCP sockets whose states the test knows: one listening
 * socket on a free 127.0.0.1 port, an established socket for each connection the test opens
 * to it, and a socket in CLOSE_WAIT for each connection the test half-closes (the child
 * keeps its side open: `allowHalfOpen`). The test's own ends live in the test process, so
 * the child's sockets are exactly these.
 *
 *   const holder = await startSocketHolder(programs);
 *   const sockets = await holder.open(5);      // child: listen 1, established 5
 *   await holder.halfClose(sockets.slice(0, 2)); // child: listen 1, established 3, close_wait 2
 */

const SCRIPT = `
const net = require('node:net');
let accepted = 0;
let ended = 0;
const held = [];
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  held.push(socket);
  socket.on('error', () => {});
  socket.on('end', () => console.log(JSON.stringify({ ended: ++ended })));
  socket.resume();
  console.log(JSON.stringify({ accepted: ++accepted }));
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

export interface SocketHolder {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its listening port. */
  readonly port: number;
  /** Opens `count` connections to it; resolves once the child has accepted them all. */
  open(count: number): Promise<Socket[]>;
  /** Sends FIN on each socket; resolves once the child has read every end (its sides are in CLOSE_WAIT). */
  halfClose(sockets: readonly Socket[]): Promise<void>;
  /** Destroys the test's ends of every connection it opened. */
  closeAll(): void;
}

const WAIT_MS = 20_000;

export async function startSocketHolder(programs: Programs): Promise<SocketHolder> {
  const seen = { port: 0, accepted: 0, ended: 0 };
  const waiters = new Set<() => void>();
  const child = programs.startNode(SCRIPT, [], (line) => {
    Object.assign(seen, line);
    for (const waiter of [...waiters]) waiter();
  });
  const until = (test: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the socket holder did not report ${what} within ${WAIT_MS} ms (it says ${JSON.stringify(seen)})`));
      }, WAIT_MS);
      waiters.add(check);
      check();
    });
  await until(() => seen.port > 0, 'its port');
  const clients: Socket[] = [];

  return {
    child,
    pid: child.pid!,
    port: seen.port,
    async open(count) {
      const target = seen.accepted + count;
      const opened = await Promise.all(
        Array.from({ length: count }, () => {
          const socket = connect({ host: '127.0.0.1', port: seen.port, allowHalfOpen: true });
          socket.on('error', () => {});
          clients.push(socket);
          return new Promise<Socket>((resolve) => socket.once('connect', () => resolve(socket)));
        }),
      );
      await until(() => seen.accepted >= target, `${target} accepted connections`);
      return opened;
    },
    async halfClose(sockets) {
      const target = seen.ended + sockets.length;
      for (const socket of sockets) socket.end();
      await until(() => seen.ended >= target, `${target} ended connections`);
    },
    closeAll() {
      for (const socket of clients) socket.destroy();
    },
  };
}

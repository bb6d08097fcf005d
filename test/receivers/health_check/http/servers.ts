import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A local server on a free 127.0.0.1 port, counting the connections it accepted and holds. */
export interface LocalServer {
  readonly port: number;
  readonly url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections still open. */
  open(): number;
  close(): Promise<void>;
}

function track(server: net.Server, scheme: string): Promise<LocalServer> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', () => void accepted++);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `${scheme}://127.0.0.1:${port}`,
        connections: () => accepted,
        open: () => sockets.size,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function httpServer(handler: http.RequestListener): Promise<LocalServer> {
  return track(http.createServer(handler), 'http');
}

export function httpsServer(options: { key: string; cert: string }, handler: http.RequestListener): Promise<LocalServer> {
  return track(https.createServer(options, handler), 'https');
}

/** A TCP server that speaks whatever `onConnection` makes of each socket (or nothing). */
export function tcpServer(onConnection: (socket: net.Socket, index: number) => void): Promise<LocalServer> {
  let index = 0;
  return track(net.createServer((socket) => onConnection(socket, index++)), 'http');
}

/** A port nothing listens on: taken, then released. */
export async function closedPort(): Promise<number> {
  const server = await tcpServer(() => undefined);
  await server.close();
  return server.port;
}

/** Polls `condition` until it holds (generous: a loaded machine). */
export async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import { createServer, type Server } from 'node:net';

/** A real TCP server on 127.0.0.1 that accepts and closes every connection. */
export interface TcpServer {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

export async function startTcpServer(): Promise<TcpServer> {
  const server = createServer((socket) => socket.end());
  const port = await listen(server);
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port that was free a moment ago: nothing listens there, so a connection is refused. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

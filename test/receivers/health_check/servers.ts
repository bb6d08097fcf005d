import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { pluginFolder } from './plugins.js';

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

/** A folder for plugins and a real TCP server, made before the file's tests and removed after them. */
export function useFixtures(): { folder: string; port: number } {
  const fixtures = { folder: '', port: 0 };
  let server: TcpServer | undefined;
  beforeAll(async () => {
    fixtures.folder = pluginFolder();
    server = await startTcpServer();
    fixtures.port = server.port;
  });
  afterAll(async () => {
    rmSync(fixtures.folder, { recursive: true, force: true });
    await server?.close();
  });
  return fixtures;
}

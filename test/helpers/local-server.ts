import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ListeningServer {
  readonly port: number;
  /** Closes the listener and destroys every open connection (kept-alive and hanging ones too). */
  close(): Promise<void>;
}

/** Listens on a free 127.0.0.1 port (the kernel picks it), keeping track of connections so close() ends them all. */
export async function listenOnFreePort(server: Server): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

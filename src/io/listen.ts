import type { Server } from 'node:http';

/** Where a server of a component listens: a host (a name, an IPv4 address or a bracketed IPv6 one) and a port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const ENDPOINT = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/]+)):(\d{1,5})$/;

/** `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`; undefined when it is none of those. */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const match = ENDPOINT.exec(text);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

/** The address as a user writes it, for messages: IPv6 hosts in brackets. */
export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** What a failed listen means, in words a user acts on. */
const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'no such address on this machine',
  ENOTFOUND: 'no such host',
};

/**
 * Binds a server; rejects naming the address and the reason (`cannot listen on
 * 127.0.0.1:9464: address already in use (EADDRINUSE)`), as a component's start must. Later
 * server errors go to `onError`.
 */
export function listenOn(server: Server, address: ListenAddress, onError: (error: Error) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      const meaning = error.code === undefined ? undefined : LISTEN_ERRORS[error.code];
      const reason = meaning === undefined ? error.message : `${meaning} (${error.code})`;
      reject(new Error(`cannot listen on ${formatListenAddress(address)}: ${reason}`, { cause: error }));
    };
    server.once('error', failed);
    server.listen(address.port, address.host, () => {
      server.off('error', failed);
      server.on('error', onError);
      resolve();
    });
  });
}

/** Stops listening and ends every connection, kept-alive and streaming ones too, so the port is free again at once. */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

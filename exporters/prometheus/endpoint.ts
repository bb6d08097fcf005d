/** Where the scrape endpoint listens: a host (a name, an IPv4 address or a bracketed IPv6 one) and a port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const ENDPOINT = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/]+)):(\d{1,5})$/;

/** `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`; undefined when it is none of those. */
export function parseEndpoint(text: string): ListenAddress | undefined {
  const match = ENDPOINT.exec(text);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

/** The address as a user writes it, for messages: IPv6 hosts in brackets. */
export function formatAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

import { readFile } from 'node:fs/promises';

/** Where the network counters come from: `/proc/net/dev`'s text, read without blocking the event loop. */
export type ReadNetworkCounters = () => Promise<string>;

/**
 * Linux's `/proc/net/dev`, one asynchronous read per collection (libuv's thread pool, not the
 * event loop). Elsewhere `null`: the receiver then lets host-metrics read the network.
 */
export function procNetDev(platform: NodeJS.Platform = process.platform): ReadNetworkCounters | null {
  return platform === 'linux' ? () => readFile('/proc/net/dev', 'utf8') : null;
}

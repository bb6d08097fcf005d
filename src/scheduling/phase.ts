/**
 * A target's fixed offset in its interval, in [0, interval): from a 32-bit FNV-1a hash of
 * its key, finished with murmur3's mixer so that keys differing only in their last
 * characters (`…/api-1`, `…/api-2`) land far apart. Prometheus spreads its scrapes the same way.
 */
export function phaseOf(key: string, interval: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return Math.floor(((hash >>> 0) / 2 ** 32) * interval);
}

/**
 * The first planned start at or after `now` of a target with this phase: phases count from
 * the clock's zero (the epoch, on the real scheduler), not from the subscription, so a target
 * keeps its slot across restarts and reloads.
 */
export function firstStart(now: number, interval: number, phase: number): number {
  const wait = (((phase - now) % interval) + interval) % interval;
  return now + wait;
}

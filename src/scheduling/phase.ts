/**
 * Phases are multiples of this: targets due in the same 10 ms start in one wake-up of the
 * event loop. At 1,000 targets a second that is 100 wake-ups instead of 1,000, and a wake-up
 * costs more CPU than the check it starts; 10 ms is far inside any start-time jitter a user
 * would notice, and a 1 s interval still has 100 distinct slots.
 */
export const PHASE_STEP_MS = 10;

/**
 * A target's fixed offset in its interval, in [0, interval), a multiple of PHASE_STEP_MS: from
 * a 32-bit FNV-1a hash of its key, finished with murmur3's mixer so that keys differing only
 * in their last characters (`…/api-1`, `…/api-2`) land far apart. Prometheus spreads its
 * scrapes the same way.
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
  const slots = Math.ceil(interval / PHASE_STEP_MS);
  return Math.floor(((hash >>> 0) / 2 ** 32) * slots) * PHASE_STEP_MS;
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

import type { HttpPhase } from '../check-result.js';

/** `performance.now()` marks of one request, in ms; a mark is absent when its phase did not take place. */
export interface PhaseMarks {
  readonly start: number;
  lookup?: number;
  connect?: number;
  secure?: number;
  response?: number;
  end?: number;
}

export type Phases = Partial<Record<HttpPhase, number>>;

/**
 * Seconds per phase. A reused connection has no lookup, connect or handshake marks, so it
 * reports first_byte and total only; an IP address is not looked up, so it has no dns.
 */
export function phasesOf(marks: PhaseMarks): Phases {
  const phases: Phases = {};
  const { start, lookup, connect, secure, response, end } = marks;
  if (lookup !== undefined) phases.dns = seconds(lookup - start);
  if (connect !== undefined) phases.connect = seconds(connect - (lookup ?? start));
  if (secure !== undefined && connect !== undefined) phases.tls = seconds(secure - connect);
  if (response !== undefined) phases.first_byte = seconds(response - (secure ?? connect ?? start));
  if (end !== undefined) phases.total = seconds(end - start);
  return phases;
}

/** The phases of several requests (redirects) as one: each phase summed, total from first start to last end. */
export function addPhases(before: Phases, after: Phases): Phases {
  const sum: Phases = { ...before };
  for (const [phase, value] of Object.entries(after) as Array<[HttpPhase, number]>) {
    sum[phase] = phase === 'total' ? value : (sum[phase] ?? 0) + value;
  }
  return sum;
}

function seconds(ms: number): number {
  return Math.max(0, ms) / 1000;
}

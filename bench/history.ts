import { loadavg } from 'node:os';
import { insertRows } from './history-insert.js';
import { queryRows } from './history-query.js';
import type { BenchModule } from './types.js';

/** The history exporter's inserts and a status-page query over a day of rollups (DESIGN §6, history row). */
export const run: BenchModule = async () => {
  const load = loadavg()[0]!.toFixed(1);
  return {
    title: 'history',
    target: `≥ 200,000 points/s inserted; one service's 10 series over 24 h at a 5 min step with p95 in < 50 ms on a store of 10,000 series × 24 h of 1 min rollups (load average ${load} at the start)`,
    rows: [...insertRows(), ...queryRows()],
  };
};

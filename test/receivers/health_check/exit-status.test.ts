import { describe, expect, it } from 'vitest';
import { exitVerdict } from '../../../receivers/health_check/exec/exit-status.js';

describe('plugin exit status', () => {
  it('maps exit 0–3 to ok, warning, critical, unknown without an error type', () => {
    expect([0, 1, 2, 3].map((code) => exitVerdict(code, null))).toEqual([
      { state: 'ok' },
      { state: 'warning' },
      { state: 'critical' },
      { state: 'unknown' },
    ]);
  });

  it('maps any other exit code, or a signal, to unknown with plugin_error', () => {
    expect(exitVerdict(7, null)).toEqual({ state: 'unknown', errorType: 'plugin_error', note: 'plugin exited with code 7' });
    expect(exitVerdict(255, null)).toMatchObject({ state: 'unknown', errorType: 'plugin_error' });
    expect(exitVerdict(null, 'SIGSEGV')).toEqual({ state: 'unknown', errorType: 'plugin_error', note: 'plugin killed by SIGSEGV' });
  });
});

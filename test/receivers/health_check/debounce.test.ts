import { describe, expect, it } from 'vitest';
import type { CheckState } from '../../../receivers/health_check/check-result.js';
import { StateDebounce } from '../../../receivers/health_check/debounce.js';

function run(results: CheckState[], failureThreshold = 3, successThreshold = 2): CheckState[] {
  const debounce = new StateDebounce({ failureThreshold, successThreshold });
  return results.map((result) => debounce.next(result));
}

describe('healthcheck.state debounce (Nagios soft → hard)', () => {
  it('takes the first result as the hard state at once, whatever it is', () => {
    expect(run(['critical'])).toEqual(['critical']);
    expect(run(['ok'])).toEqual(['ok']);
    expect(run(['unknown', 'unknown'])).toEqual(['unknown', 'unknown']);
  });

  it('leaves ok only after failure_threshold non-ok results in a row, for the latest of them', () => {
    expect(run(['ok', 'critical', 'warning', 'critical', 'critical'])).toEqual(['ok', 'ok', 'ok', 'critical', 'critical']);
    expect(run(['ok', 'critical', 'critical', 'warning'])).toEqual(['ok', 'ok', 'ok', 'warning']);
  });

  it('starts the count over when an ok result interrupts the failures', () => {
    expect(run(['ok', 'critical', 'critical', 'ok', 'critical', 'critical', 'critical'])).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'critical',
    ]);
  });

  it('returns to ok only after success_threshold ok results in a row', () => {
    expect(run(['critical', 'ok', 'critical', 'ok', 'ok'])).toEqual(['critical', 'critical', 'critical', 'critical', 'ok']);
  });

  it('follows changes between non-ok states at once', () => {
    expect(run(['critical', 'warning', 'unknown', 'critical'])).toEqual(['critical', 'warning', 'unknown', 'critical']);
  });

  it('with thresholds of 1 follows every result', () => {
    expect(run(['ok', 'critical', 'ok', 'warning'], 1, 1)).toEqual(['ok', 'critical', 'ok', 'warning']);
  });
});

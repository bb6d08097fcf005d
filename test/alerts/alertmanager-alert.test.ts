import { describe, expect, it } from 'vitest';
import { alertAnnotations, alertLabels, alertmanagerFingerprint, alertmanagerName } from '../../src/alerts/index.js';
import { latencyEvent } from './events.js';

describe('an event as an Alertmanager alert', () => {
  it('labels: the rule as alertname, service and severity, which event labels cannot replace', () => {
    const event = latencyEvent({ labels: { team: 'payments', severity: 'low', alertname: 'x', 'service.name': 'api', '9lives': 'cat', empty: '' } });
    expect(alertLabels(event)).toEqual({
      alertname: 'latency',
      service: 'api',
      severity: 'warning',
      team: 'payments',
      service_name: 'api',
      _9lives: 'cat',
    });
    expect(alertLabels(event, 'critical')['severity']).toBe('critical');
  });

  it('names Alertmanager refuses become Prometheus names', () => {
    expect(alertmanagerName('service.name')).toBe('service_name');
    expect(alertmanagerName('team-x/y')).toBe('team_x_y');
    expect(alertmanagerName('1st')).toBe('_1st');
    expect(alertmanagerName('ok_Name9')).toBe('ok_Name9');
  });

  it('annotations: summary, the event annotations, then message, value, threshold as written, window', () => {
    const event = latencyEvent({
      message: 'check_http: CRITICAL - 1.5 s',
      thresholdText: '@~:0.5',
      value: 1.23456,
      window: 90_000,
      annotations: { runbook_url: 'https://runbooks/api', value: 'not this' },
    });
    expect(alertAnnotations(event)).toEqual({
      summary: 'api latency warning: 1.235 (threshold @~:0.5)',
      runbook_url: 'https://runbooks/api',
      message: 'check_http: CRITICAL - 1.5 s',
      value: '1.235',
      threshold: '@~:0.5',
      window: '90s',
    });
  });

  it("an event's own summary replaces the generated one; flapping shows when set; no window, no annotation", () => {
    const event = latencyEvent({ annotations: { summary: 'API is slow' }, flapping: true, window: undefined });
    expect(alertAnnotations(event)).toEqual({ summary: 'API is slow', value: '0.3', threshold: '0.2', flapping: 'true' });
  });

  it("fingerprints a label set as Alertmanager does (FNV-1a 64 of sorted names and values)", () => {
    // The FNV-1a 64 offset basis: the fingerprint of no labels.
    expect(alertmanagerFingerprint({})).toBe('cbf29ce484222325');
    const labels = { alertname: 'latency', service: 'api', severity: 'warning' };
    expect(alertmanagerFingerprint(labels)).toMatch(/^[0-9a-f]{16}$/);
    expect(alertmanagerFingerprint({ severity: 'warning', service: 'api', alertname: 'latency' })).toBe(alertmanagerFingerprint(labels));
    expect(alertmanagerFingerprint({ ...labels, severity: 'critical' })).not.toBe(alertmanagerFingerprint(labels));
  });
});

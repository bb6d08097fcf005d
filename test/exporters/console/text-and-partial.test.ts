import { describe, expect, it } from 'vitest';
import { eventLine, eventTable, pointLine, pointTable } from '../../../exporters/console/index.js';
import { healthEvent } from '../../../src/model/index.js';
import type { HealthEvent } from '../../../src/model/event.js';
import { T, firing, points, resolved } from './fixtures.js';

const procs: HealthEvent = healthEvent({
  ...firing,
  rule: 'procs',
  value: 3,
  threshold: 5,
  thresholdText: '@~:5',
  message: 'PROCS CRITICAL: 3 processes with command name "worker"',
  annotations: { runbook_url: 'https://wiki/procs' },
});

describe('console JSON: event text', () => {
  it('adds threshold_text after threshold, and message and annotations after labels', () => {
    expect(eventLine(procs)).toBe(
      '{"kind":"alert","time":"2024-05-01T12:01:00.000Z","fingerprint":"9f1c2b3a","service":"api","rule":"procs",' +
        '"level":"critical","previous_level":"warning","state":"firing","value":3,"threshold":5,"threshold_text":"@~:5",' +
        '"labels":{"team":"payments"},"message":"PROCS CRITICAL: 3 processes with command name \\"worker\\"",' +
        '"annotations":{"runbook_url":"https://wiki/procs"}}',
    );
  });

  it('adds only the fields the event has', () => {
    const line = JSON.parse(eventLine(healthEvent({ ...resolved, message: 'recovered' }))) as Record<string, unknown>;
    expect(line['message']).toBe('recovered');
    expect(Object.keys(line)).not.toContain('annotations');
    expect(Object.keys(line)).not.toContain('threshold_text');
  });
});

describe('console table: event text', () => {
  it('shows the message last, and the threshold as written when it was', () => {
    expect(eventTable([procs, resolved], 200).split('\n')).toEqual([
      '2024-05-01T12:01:00.000Z  CRITICAL  api       procs       firing    3/@~:5  PROCS CRITICAL: 3 processes with command name "worker"',
      '2024-05-01T12:01:15.000Z  INFO      postgres  error_rate  resolved  0/0.1',
      '',
    ]);
  });

  it('never writes a control character of a message to the terminal, even of an event built by hand', () => {
    const handMade: HealthEvent = { ...firing, message: 'bad\u001b]0;owned\u0007\r\nline' };
    const [row] = eventTable([handMade]).split('\n');
    expect(row).toMatch(/ bad\]0;owned line$/);
    expect(row).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});

describe('console: partial windows', () => {
  const [whole] = points;
  const cut = { ...whole!, partial: true as const };

  it('writes "partial":true last on the line of a partial figure, and nothing on a whole one', () => {
    expect(pointLine(cut)).toBe(
      '{"time":"2024-05-01T12:01:00.000Z","name":"process.cpu.utilization","value":0.123456,"unit":"1",' +
        '"attributes":{"aggregate":"mean"},"resource":{"service.name":"api","service.instance.id":"api-1","process.pid":4242},"partial":true}',
    );
    const line = JSON.parse(pointLine(whole!)) as Record<string, unknown>;
    expect(Object.keys(line)).not.toContain('partial');
    expect(line['time']).toBe(new Date(T).toISOString());
  });

  it('counts partial figures in the table header', () => {
    expect(pointTable([cut]).split('\n')[0]).toBe('2024-05-01T12:01:00.000Z  1 point, 1 partial');
    expect(pointTable([whole!]).split('\n')[0]).toBe('2024-05-01T12:01:00.000Z  1 point');
  });
});

describe('console JSON: notes for people', () => {
  const [whole] = points;

  it("ends a point's line with the measurement's message when it has one", () => {
    const noted = { ...whole!, message: 'CRITICAL - Socket timeout after 5 seconds' };
    expect(pointLine(noted).endsWith(',"partial":true}')).toBe(false);
    expect(JSON.parse(pointLine(noted))).toMatchObject({ value: 0.123456, message: 'CRITICAL - Socket timeout after 5 seconds' });
    expect(JSON.parse(pointLine({ ...noted, partial: true }))).toMatchObject({ partial: true, message: noted.message });
  });

  it('marks the event a flapping series raises, and only that one', () => {
    expect(JSON.parse(eventLine(healthEvent({ ...firing, flapping: true })))).toMatchObject({ flapping: true });
    expect(Object.keys(JSON.parse(eventLine(firing)) as object)).not.toContain('flapping');
  });
});

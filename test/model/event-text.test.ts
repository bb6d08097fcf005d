import { describe, expect, it } from 'vitest';
import { SecretMatcher } from '../../src/config/secrets.js';
import { EVENT_TEXT_LIMITS, TRUNCATED, eventLabels, healthEvent, type HealthEventInit } from '../../src/model/index.js';

const base: HealthEventInit = {
  fingerprint: '9f1c2b3a',
  service: 'api',
  rule: 'latency',
  level: 'critical',
  previousLevel: 'warning',
  value: 1.25,
  threshold: 1,
  startsAt: 0,
  state: 'firing',
  labels: { team: 'payments' },
  time: 0,
};

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('healthEvent: text', () => {
  it('keeps message, annotations and the threshold as written, and the number beside it', () => {
    const event = healthEvent({
      ...base,
      threshold: 5,
      thresholdText: '@~:5',
      message: 'PROCS CRITICAL: 3 processes',
      annotations: { summary: 'too few workers', runbook_url: 'https://wiki/runbooks/api' },
    });
    expect(event).toEqual({
      ...base,
      threshold: 5,
      thresholdText: '@~:5',
      message: 'PROCS CRITICAL: 3 processes',
      annotations: { summary: 'too few workers', runbook_url: 'https://wiki/runbooks/api' },
    });
  });

  it('leaves message, thresholdText and annotations out when absent or empty once cleaned', () => {
    const absent = healthEvent(base);
    const empty = healthEvent({ ...base, message: ' \r\n\u001b ', thresholdText: '', annotations: { '\u0000': 'x' } });
    for (const event of [absent, empty]) {
      expect(Object.keys(event)).not.toContain('message');
      expect(Object.keys(event)).not.toContain('thresholdText');
      expect(Object.keys(event)).not.toContain('annotations');
    }
  });

  it('cuts a long message at 1,024 characters with a visible marker', () => {
    const event = healthEvent({ ...base, message: 'x'.repeat(5000) });
    expect(EVENT_TEXT_LIMITS.message).toBe(1024);
    expect(event.message).toHaveLength(1024);
    expect(event.message?.endsWith(TRUNCATED)).toBe(true);
    expect(event.message?.startsWith('x'.repeat(1000))).toBe(true);
  });

  it('never cuts a character in half', () => {
    const message = 'a'.repeat(EVENT_TEXT_LIMITS.message - TRUNCATED.length - 1) + '😀'.repeat(20);
    const event = healthEvent({ ...base, message });
    expect(event.message).toBe(`${'a'.repeat(EVENT_TEXT_LIMITS.message - TRUNCATED.length - 1)}${TRUNCATED}`);
    expect(LONE_SURROGATE.test(event.message!)).toBe(false);
  });

  it('turns line breaks into spaces and drops terminal controls, bidi marks and lone surrogates', () => {
    const event = healthEvent({
      ...base,
      message: '\u001b[31mDISK CRITICAL\u001b[0m - /\tfull\r\nsecond line\u202e\u0007\ud800',
      rule: 'disk\n',
      service: '\u2066api',
    });
    expect(event.message).toBe('[31mDISK CRITICAL[0m - / full second line');
    expect(event.rule).toBe('disk');
    expect(event.service).toBe('api');
  });

  it('replaces the given secrets and any URL user-info by ***', () => {
    const secrets = new SecretMatcher(['s3cr3t-t0ken']);
    const event = healthEvent(
      {
        ...base,
        message: 'GET https://admin:hunter22@api.local/health: 401 with Bearer s3cr3t-t0ken',
        annotations: { detail: 'token s3cr3t-t0ken refused' },
        labels: { url: 'https://admin:hunter22@api.local/health' },
      },
      secrets,
    );
    expect(event.message).toBe('GET https://***@api.local/health: 401 with Bearer ***');
    expect(event.annotations).toEqual({ detail: 'token *** refused' });
    expect(event.labels).toEqual({ url: 'https://***@api.local/health' });
    expect(JSON.stringify(event)).not.toMatch(/hunter22|s3cr3t/);
  });

  it('finds a secret that control characters split, and never leaves half of one at the cut', () => {
    const secret = 'topsecretvalue';
    const secrets = new SecretMatcher([secret]);
    const split = healthEvent({ ...base, message: 'key top\u0000secret\u001bvalue' }, secrets);
    expect(split.message).toBe('key ***');
    // The secret straddles the cut: redacted before cutting, nothing of it is left.
    const atCut = 'a'.repeat(EVENT_TEXT_LIMITS.message - TRUNCATED.length - 5) + secret + 'b'.repeat(100);
    const cut = healthEvent({ ...base, message: atCut }, secrets);
    expect(cut.message).toHaveLength(EVENT_TEXT_LIMITS.message);
    expect(cut.message).not.toMatch(/tops|secret/);
  });

  it('changes nothing when applied twice', () => {
    const secrets = new SecretMatcher(['s3cr3t-t0ken']);
    const raw: HealthEventInit = {
      ...base,
      message: `x\n${'y'.repeat(3000)} s3cr3t-t0ken`,
      thresholdText: '10:20'.repeat(30),
      annotations: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`note${i}\t`, 'z'.repeat(2000)])),
      labels: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, i])),
    };
    const once = healthEvent(raw, secrets);
    expect(healthEvent(once, secrets)).toEqual(once);
  });
});

describe('healthEvent: maps', () => {
  it('bounds annotations: 16 at most, the first in key order, keys 128 and values 1,024 characters', () => {
    const annotations: Record<string, string> = {};
    for (let i = 39; i >= 0; i--) annotations[`k${String(i).padStart(2, '0')}`] = 'v'.repeat(3000);
    annotations['k00'] = 'v'.repeat(3000);
    const event = healthEvent({ ...base, annotations: { ...annotations, [`k${'e'.repeat(500)}`]: 'long key' } });
    const keys = Object.keys(event.annotations!);
    expect(keys).toHaveLength(EVENT_TEXT_LIMITS.annotations);
    expect([...keys].sort()).toEqual(Array.from({ length: 16 }, (_, i) => `k${String(i).padStart(2, '0')}`));
    for (const value of Object.values(event.annotations!)) expect(value).toHaveLength(EVENT_TEXT_LIMITS.annotationValue);

    const longKey = healthEvent({ ...base, annotations: { [`k${'e'.repeat(500)}`]: 'long key' } });
    const [key] = Object.keys(longKey.annotations!);
    expect(key).toHaveLength(EVENT_TEXT_LIMITS.annotationKey);
    expect(key?.endsWith(TRUNCATED)).toBe(true);
  });

  it('blanks a value whose key names a secret, in annotations and labels', () => {
    const event = healthEvent({ ...base, annotations: { api_key: 'abc123', summary: 'ok' }, labels: { password: 'pw', team: 'a' } });
    expect(event.annotations).toEqual({ api_key: '***', summary: 'ok' });
    expect(event.labels).toEqual({ password: '***', team: 'a' });
  });

  it('bounds labels: 32 at most, values 256 characters, numbers and booleans as text', () => {
    const labels = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`l${String(i).padStart(2, '0')}`, 'w'.repeat(1000)]));
    const event = healthEvent({ ...base, labels: { ...labels, 'process.pid': 4242, up: true } });
    expect(Object.keys(event.labels)).toHaveLength(EVENT_TEXT_LIMITS.labels);
    expect(event.labels['l00']).toHaveLength(EVENT_TEXT_LIMITS.labelValue);
    expect(eventLabels({ 'process.pid': 4242, up: true })).toEqual({ 'process.pid': '4242', up: 'true' });
  });

  it('gives the labels healthEvent keeps, so a fingerprint made from them matches the event', () => {
    const raw = { team: 'pay\nments', [`x${'y'.repeat(300)}`]: 1 };
    expect(healthEvent({ ...base, labels: raw }).labels).toEqual(eventLabels(raw));
  });

  it('passes labels eventLabels made through healthEvent as they are, without cleaning them again', () => {
    const clean = eventLabels({ team: 'pay\nments', 'process.pid': 4242 });
    expect(healthEvent({ ...base, labels: clean }).labels).toBe(clean);
    expect(eventLabels(clean)).toBe(clean);
  });

  it('still cleans labels eventLabels did not make, even copied from ones it did', () => {
    const clean = eventLabels({ team: 'payments' });
    const copied = { ...clean, note: 'a\u001b[31mred\nline' };
    expect(healthEvent({ ...base, labels: copied }).labels).toEqual({ team: 'payments', note: 'a[31mred line' });
    expect(healthEvent({ ...base, labels: { team: 'pay\tments' } }).labels).toEqual({ team: 'pay ments' });
  });

  it('freezes what eventLabels made, so a label written in later cannot pass uncleaned', () => {
    const clean = eventLabels({ team: 'payments' }) as Record<string, string>;
    expect(Object.isFrozen(clean)).toBe(true);
    expect(() => {
      clean['note'] = 'line\nbreak';
    }).toThrow(TypeError);
    expect(healthEvent({ ...base, labels: clean }).labels).toEqual({ team: 'payments' });
  });

  it('cleans labels made without secrets again when healthEvent is given secrets', () => {
    const clean = eventLabels({ url: 'https://u:s3cr3t-t0ken@host/' });
    const secrets = new SecretMatcher(['s3cr3t-t0ken', 'payments']);
    const unclean = eventLabels({ team: 'payments' });
    expect(healthEvent({ ...base, labels: unclean }, secrets).labels).toEqual({ team: '***' });
    expect(healthEvent({ ...base, labels: clean }, secrets).labels['url']).not.toContain('s3cr3t');
  });

  it('bounds service, rule, fingerprint and the written threshold', () => {
    const event = healthEvent({
      ...base,
      service: 's'.repeat(1000),
      rule: 'r'.repeat(1000),
      fingerprint: 'f'.repeat(1000),
      thresholdText: '1'.repeat(1000),
    });
    expect(event.service).toHaveLength(EVENT_TEXT_LIMITS.service);
    expect(event.rule).toHaveLength(EVENT_TEXT_LIMITS.rule);
    expect(event.fingerprint).toHaveLength(EVENT_TEXT_LIMITS.fingerprint);
    expect(event.thresholdText).toHaveLength(EVENT_TEXT_LIMITS.thresholdText);
  });
});

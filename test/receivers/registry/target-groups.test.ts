import { describe, expect, it } from 'vitest';
import { targetEntries } from '../../../receivers/registry/http-sd/target-groups.js';

const URL = 'http://127.0.0.1:9/sd';

describe('http_sd target groups read as entries', () => {
  it('maps host:port, service from service else job, health_url, and labels without __', () => {
    const body = JSON.stringify([
      {
        targets: ['10.0.0.5:8080', '[::1]:9100', 'bare-host'],
        labels: { job: 'api', team: 'payments', __meta_datacenter: 'x', __address__: 'y', health_url: 'http://10.0.0.5:8080/health' },
      },
      { targets: ['10.0.0.6:80'], labels: { service: 'web', job: 'ignored' } },
      { targets: ['10.0.0.7:80'] },
    ]);
    const read = targetEntries(body, URL, 7);
    expect(read).toEqual({
      ok: true,
      entries: [
        {
          id: '10.0.0.5:8080',
          value: { host: '10.0.0.5', port: 8080, service: 'api', health_url: 'http://10.0.0.5:8080/health', labels: { job: 'api', team: 'payments' } },
          seenAt: 7,
          where: `${URL} [0].targets[0]`,
        },
        {
          id: '[::1]:9100',
          value: { host: '::1', port: 9100, service: 'api', health_url: 'http://10.0.0.5:8080/health', labels: { job: 'api', team: 'payments' } },
          seenAt: 7,
          where: `${URL} [0].targets[1]`,
        },
        {
          id: 'bare-host',
          value: { host: 'bare-host', service: 'api', health_url: 'http://10.0.0.5:8080/health', labels: { job: 'api', team: 'payments' } },
          seenAt: 7,
          where: `${URL} [0].targets[2]`,
        },
        { id: '10.0.0.6:80', value: { host: '10.0.0.6', port: 80, service: 'web', labels: { service: 'web', job: 'ignored' } }, seenAt: 7, where: `${URL} [1].targets[0]` },
        { id: '10.0.0.7:80', value: { host: '10.0.0.7', port: 80, labels: {} }, seenAt: 7, where: `${URL} [2].targets[0]` },
      ],
    });
  });

  it('keeps a target listed by two groups apart by service', () => {
    const body = JSON.stringify([
      { targets: ['h:1'], labels: { job: 'a' } },
      { targets: ['h:1'], labels: { job: 'b' } },
    ]);
    const read = targetEntries(body, URL, 0);
    expect(read.ok && read.entries.map((entry) => entry.id)).toEqual(['h:1/a', 'h:1/b']);
  });

  it('refuses the whole answer when it is not JSON, not a list, or holds a null or malformed group', () => {
    expect(targetEntries('{', URL, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the answer is not JSON/) });
    expect(targetEntries('{}', URL, 0)).toEqual({ ok: false, reason: 'the answer is not a JSON list of target groups' });
    expect(targetEntries('[null]', URL, 0)).toEqual({ ok: false, reason: '[0] is not a target group object' });
    expect(targetEntries('[{"targets":"h:1"}]', URL, 0)).toEqual({ ok: false, reason: '[0].targets is not a list of strings' });
    expect(targetEntries('[{"targets":[],"labels":{"a":1}}]', URL, 0)).toEqual({ ok: false, reason: '[0].labels is not a map of strings' });
  });
});

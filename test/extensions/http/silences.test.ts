import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, stopAllApis, type Answer } from './api-fixture.js';
import { ScriptedHistory } from './fake-history.js';

const TOKEN = 'a-long-secret-token-0123456789';
const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const SILENCE = JSON.stringify({ matchers: { service: 'api' }, comment: 'deploy, by ops', duration: '2h' });

afterEach(stopAllApis);

describe('/api/silences without a token: read-only', () => {
  it('lists silences but refuses to create or expire one with 403 and why', async () => {
    const api = await startApi(new ScriptedHistory());
    expect((await call(`${api.base}/api/silences`)).json()).toEqual({ silences: [] });
    const create = await call(`${api.base}/api/silences`, { method: 'POST', headers: auth(), body: SILENCE });
    expect(create.status).toBe(403);
    expect(create.json().error).toContain('read-only: configure a token');
    const expire = await call(`${api.base}/api/silences/x`, { method: 'DELETE', headers: auth() });
    expect(expire.status).toBe(403);
    expect(api.context.silences.list()).toEqual([]);
  });
});

describe('/api/silences with a token', () => {
  it('creates and expires a silence of the agent\'s book with the bearer token', async () => {
    const api = await startApi(new ScriptedHistory(), { token: TOKEN });
    const before = Date.now();
    const created = await call(`${api.base}/api/silences`, { method: 'POST', headers: auth(), body: SILENCE });
    expect(created.status).toBe(201);
    const silence = created.json().silence;
    expect(silence).toMatchObject({ matchers: { service: 'api' }, comment: 'deploy, by ops' });
    expect(Date.parse(silence.ends_at) - Date.parse(silence.starts_at)).toBe(2 * 3_600_000);
    expect(Date.parse(silence.starts_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(api.context.silences.list().map((s) => s.id)).toEqual([silence.id]);
    expect((await call(`${api.base}/api/silences`)).json().silences).toEqual([silence]);

    const expired = await call(`${api.base}/api/silences/${silence.id}`, { method: 'DELETE', headers: auth() });
    expect(expired.status).toBe(200);
    expect(expired.json().silence.id).toBe(silence.id);
    expect(api.context.silences.list()).toEqual([]);
    const again = await call(`${api.base}/api/silences/${silence.id}`, { method: 'DELETE', headers: auth() });
    expect(again.status).toBe(404);
  });

  it('takes an explicit start and end', async () => {
    const api = await startApi(new ScriptedHistory(), { token: TOKEN });
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 7_200_000).toISOString();
    const created = await call(`${api.base}/api/silences`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ matchers: { rule: 'cpu', level: 'warning' }, comment: 'c', starts_at: startsAt, ends_at: endsAt }),
    });
    expect(created.status).toBe(201);
    expect(created.json().silence).toMatchObject({ starts_at: startsAt, ends_at: endsAt, matchers: { rule: 'cpu', level: 'warning' } });
  });

  it('answers 401 with a Bearer challenge to a missing, malformed or wrong token', async () => {
    const api = await startApi(new ScriptedHistory(), { token: TOKEN });
    for (const headers of [{} as Record<string, string>, { authorization: `Basic ${TOKEN}` }, { authorization: 'Bearer wrong-token-of-some-length' }, { authorization: `Bearer ${TOKEN}x` }]) {
      const answer = await call(`${api.base}/api/silences`, { method: 'POST', headers, body: SILENCE });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="healthpipe"/);
      const expire = await call(`${api.base}/api/silences/some-id`, { method: 'DELETE', headers });
      expect(expire.status).toBe(401);
    }
    expect(api.context.silences.list()).toEqual([]);
  });

  it.each([
    ['{"matchers":', 'the body is not valid JSON'],
    ['', 'expected a JSON body'],
    ['{"matchers":{},"comment":"c","duration":"1h"}', 'matchers: name at least one matcher'],
    ['{"matchers":{"service":"a"},"comment":"c"}', 'ends_at: give either ends_at or duration'],
    ['{"matchers":{"service":"a"},"comment":"c","duration":"1h","ends_at":"2030-01-01T00:00:00Z"}', 'ends_at: give either ends_at or duration'],
    ['{"matchers":{"service":"a"},"comment":"","duration":"1h"}', 'comment: say why the alerts are silenced'],
    ['{"matchers":{"service":"a"},"comment":"c","duration":"soon"}', 'duration:'],
    ['{"matchers":{"service":"a"},"comment":"c","starts_at":"2001-01-01T00:00:00Z","ends_at":"2001-01-01T01:00:00Z"}', 'the silence has already ended'],
    ['{"matchers":{"service":"a"},"comment":"c","starts_at":"2030-01-01T02:00:00Z","ends_at":"2030-01-01T01:00:00Z"}', 'ends_at must be later than starts_at'],
    ['{"matchers":{"service":"a"},"comment":"c","duration":"400d"}', 'duration:'],
    ['{"matchers":{"service":"a"},"comment":"c","duration":"1h","by":"me"}', 'body: Unrecognized key'],
  ])('refuses the body %s with 400 and the reason', async (body, reason) => {
    const api = await startApi(new ScriptedHistory(), { token: TOKEN });
    const answer = await call(`${api.base}/api/silences`, { method: 'POST', headers: auth(), body });
    expect(answer.status).toBe(400);
    expect(answer.json().error).toContain(reason);
  });

  it('refuses a body above 16 KiB with 413 without reading it all', async () => {
    const api = await startApi(new ScriptedHistory(), { token: TOKEN });
    const huge = JSON.stringify({ matchers: { service: 'a' }, comment: 'x'.repeat(64 * 1024), duration: '1h' });
    const answer = await call(`${api.base}/api/silences`, { method: 'POST', headers: auth(), body: huge });
    expect(answer.status).toBe(413);
    expect(answer.json().error).toBe('the body is larger than 16384 bytes');
  });
});

describe('secrets', () => {
  it('never puts the token in any answer, refusals included', async () => {
    const api = await startApi(new ScriptedHistory(), { token: TOKEN });
    const answers: Answer[] = [];
    api.context.statuses.set('http', 'extension', 'running');
    for (const path of ['/', '/healthz', '/health', '/api/services', '/api/silences', '/api/history?service=a', '/nowhere']) {
      answers.push(await call(`${api.base}${path}`));
    }
    answers.push(await call(`${api.base}/api/silences`, { method: 'POST', headers: auth('wrong-token-of-some-length'), body: SILENCE }));
    answers.push(await call(`${api.base}/api/silences`, { method: 'POST', headers: auth(), body: `{"comment":"${'y'.repeat(900)}"` }));
    answers.push(await call(`${api.base}/api/silences`, { method: 'POST', headers: auth(), body: SILENCE }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 400, 404, 401, 400, 201]);
    for (const answer of answers) expect(answer.text + JSON.stringify(answer.headers)).not.toContain(TOKEN);
    // A refusal quoting what the client sent stays bounded.
    expect(answers.at(-2)!.json().error.length).toBeLessThanOrEqual(300);
  });
});

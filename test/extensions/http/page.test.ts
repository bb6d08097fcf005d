import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, stopAllApis } from './api-fixture.js';
import { ScriptedHistory } from './fake-history.js';

afterEach(stopAllApis);

describe('/: the status page', () => {
  it('is one self-contained HTML document that loads nothing from elsewhere', async () => {
    const api = await startApi(new ScriptedHistory());
    const page = await call(`${api.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toMatch(/^<!doctype html>/);
    expect(page.text).toContain('<meta name="viewport"');
    expect(page.text).toContain('<style>');
    expect(page.text).toContain('<script>');
    // No external stylesheet, script, font or image.
    // (The SVG namespace is a name, not something loaded.)
    const text = page.text.replaceAll("'http://www.w3.org/2000/svg'", '');
    expect(text).not.toMatch(/<script[^>]+src=|<link\b|@import|url\(|https?:\/\//);
    // Relative API paths only, so the page works behind a path prefix too.
    expect(page.text).toContain("new EventSource('api/events')");
  });
});

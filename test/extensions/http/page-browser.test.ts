import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/chromium.js';
import { repoRoot } from '../../helpers/components.js';
import { startApi, stopAllApis } from './api-fixture.js';
import { ScriptedHistory, firingAlert } from './fake-history.js';

let browser: Browser;
const artifacts = join(repoRoot, '.artifacts');

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});
afterAll(() => browser?.close());
afterEach(stopAllApis);

function minutes(count: number, value: (i: number) => number) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({ time: now - (count - i) * 60_000, value: value(i) }));
}

describe('the status page in Debian\'s chromium', () => {
  it('shows levels in colour and words, sparklines, firing alerts, components, and follows live changes', async () => {
    const history = new ScriptedHistory();
    const now = Date.now();
    history.servicesList = [
      { service: 'api', level: 'info', levelSince: now - 600_000, lastPoint: now, firing: 0 },
      { service: 'worker <b>', level: 'unknown', lastPoint: now, firing: 0 },
    ];
    history.rangeAnswer = [
      { service: 'api', metric: 'healthcheck.duration', unit: 's', attributes: {}, resolution: '1m', points: minutes(60, (i) => 0.02 + (i % 7) / 500) },
    ];
    const api = await startApi(history, { poll_interval: '200ms' });
    api.context.statuses.set('health_check', 'receiver', 'running');
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    page.on('requestfailed', (request) => failures.push(`request failed: ${request.url()}`));
    await page.goto(`${api.base}/`);

    const card = page.locator('[data-service="api"]');
    await expect.poll(() => card.getAttribute('data-level'), { timeout: 20_000 }).toBe('info');
    await expect.poll(() => card.locator('.level').textContent()).toBe('✓ info');
    // A name is text, never markup.
    await expect.poll(() => page.locator('[data-service="worker <b>"] h3').textContent()).toBe('worker <b>');
    await expect.poll(() => card.locator('figure[data-metric="healthcheck.duration"] polyline').count(), { timeout: 20_000 }).toBe(1);
    expect(await card.locator('svg[role="img"]').first().getAttribute('aria-label')).toMatch(/^response p95 over the last hour: now \d+ ms/);
    await expect.poll(() => page.locator('#connection').textContent()).toBe('Live');
    expect(await page.locator('#alerts').textContent()).toContain('No alert is firing.');
    expect(await page.locator('[data-component="health_check"]').textContent()).toContain('running');
    // Evaluated in the page (this project's TypeScript has no DOM types).
    const colour = (selector: string) => page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).color`);
    const infoColour = await colour('[data-service="api"] .level');

    history.servicesList = [{ ...history.servicesList[0]!, level: 'critical', levelSince: Date.now(), firing: 1 }, history.servicesList[1]!];
    history.alertList = [firingAlert('api', 'critical', Date.now())];
    await expect.poll(() => card.getAttribute('data-level'), { timeout: 20_000 }).toBe('critical');
    expect(await card.locator('.level').textContent()).toBe('✕ critical');
    expect(await colour('[data-service="api"] .level')).not.toBe(infoColour);
    await expect.poll(() => page.locator('#alerts li[data-level="critical"]').textContent()).toContain('response_time');
    api.context.statuses.reporterFor('health_check', 'receiver').degraded('registry down');
    await expect.poll(() => page.locator('[data-component="health_check"]').getAttribute('data-state')).toBe('degraded');
    await page.screenshot({ path: join(artifacts, 'status-page-unit.png'), fullPage: true });

    // Narrow: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('says it is reconnecting when the agent goes away, and comes back live', async () => {
    const history = new ScriptedHistory();
    const api = await startApi(history);
    const page = await browser.newPage();
    await page.goto(`${api.base}/`);
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 20_000 }).toBe('Live');
    await api.stop();
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 20_000 }).toBe('Reconnecting…');
    // The agent again (a restart makes a new extension) on the same address.
    await startApi(history, { endpoint: `127.0.0.1:${api.port}` });
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 30_000 }).toBe('Live');
    await page.close();
  });
});

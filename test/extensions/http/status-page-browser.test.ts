import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/chromium.js';
import { repoRoot } from '../../helpers/components.js';
import { startAgentWithApi, type AgentWithApi } from './agent-fixture.js';

/**
 * The status page of a running agent (the built CLI) in Debian's headless chromium: a
 * checked service goes from info to critical and back, live, and the page is kept as
 * screenshots under .artifacts/ (git-ignored).
 */

const artifacts = join(repoRoot, '.artifacts');
let browser: Browser;
let run: AgentWithApi;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  [browser, run] = await Promise.all([launchChromium(), startAgentWithApi()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await run?.stop();
});

const levelOf = (page: Page, service: string) => page.locator(`[data-service="${service}"]`).getAttribute('data-level');
const LIVE = { timeout: 60_000, interval: 250 };

describe('the status page of a running agent', () => {
  it('shows a service go from info to critical and back, without a reload', { timeout: 240_000 }, async () => {
    // The threshold raises only changes: a first failure and recovery give `web` its info level.
    run.web.set({ status: 503 });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    await page.goto(run.base);
    await expect.poll(() => levelOf(page, 'web'), LIVE).toBe('critical');
    run.web.set({ status: 200 });
    await expect.poll(() => levelOf(page, 'web'), LIVE).toBe('info');
    expect(await page.locator('[data-service="web"] .level').textContent()).toBe('✓ info');
    await expect.poll(() => page.locator('#alerts').textContent(), LIVE).toContain('No alert is firing.');
    await page.screenshot({ path: join(artifacts, 'status-page-info.png'), fullPage: true });

    run.web.set({ status: 503 });
    await expect.poll(() => levelOf(page, 'web'), LIVE).toBe('critical');
    expect(await page.locator('[data-service="web"] .level').textContent()).toBe('✕ critical');
    await expect.poll(() => page.locator('#alerts li[data-level="critical"]').textContent(), LIVE).toContain('availability');
    // The healthy service beside it keeps its state; the agent's own process shows its figures.
    expect(await levelOf(page, 'api')).toBe('unknown');
    await expect.poll(() => page.locator('[data-service="healthpipe"] figure[data-metric="process.memory.usage"]').count(), LIVE).toBe(1);
    await expect.poll(() => page.locator('[data-service="web"] figure[data-metric="healthcheck.duration"] polyline').count(), LIVE).toBe(1);
    await page.screenshot({ path: join(artifacts, 'status-page-critical.png'), fullPage: true });

    run.web.set({ status: 200 });
    await expect.poll(() => levelOf(page, 'web'), LIVE).toBe('info');
    await expect.poll(() => page.locator('#alerts li[data-level]').count(), LIVE).toBe(0);
    await page.screenshot({ path: join(artifacts, 'status-page-recovered.png'), fullPage: true });

    // Narrow screens: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(artifacts, 'status-page-narrow.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});

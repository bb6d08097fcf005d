import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { startAlertingFixture } from '../helpers/alerting-fixture.js';
import { runCliSync } from '../helpers/cli.js';

/**
 * The README's second example, shipped as examples/alerting.yaml: valid, the same text in
 * both places, and doing what the README says once its addresses point at a local service
 * and a real Alertmanager and its intervals are short.
 */

const example = join(packageRoot(), 'examples', 'alerting.yaml');
const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/alerting.yaml', () => {
  it('is valid for `healthpipe validate`: one alerts pipeline health_check → window → threshold → cooldown', () => {
    // Run where its ./data may be created, as a user trying it would.
    const result = runCliSync(['validate', '--config', example], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid \(1 pipeline, 1 receiver, 3 processors, 2 exporters\)/);
  });

  it('is the annotated example of the README, line for line', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
    const file = readFileSync(example, 'utf8');
    // The file opens with two lines saying what it is and where the README explains it.
    const body = file.split('\n').slice(2).join('\n');
    expect(blocks).toContain(body);
  });
});

/** `text` with `from` replaced by `to`; a `from` the example no longer holds fails the test instead of testing something else. */
function replaced(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`examples/alerting.yaml no longer holds ${JSON.stringify(from)}: update this test`);
  return text.replaceAll(from, to);
}

describe('examples/alerting.yaml, run', () => {
  it('pages Alertmanager with api_down when the service fails, and resolves it when it is back', { timeout: 180_000 }, async () => {
    const fixture = await startAlertingFixture();
    try {
      let pipeline = readFileSync(example, 'utf8');
      pipeline = replaced(pipeline, 'http://127.0.0.1:8080/health', `${fixture.service.url}/health`);
      pipeline = replaced(pipeline, 'http://127.0.0.1:9093', fixture.hop.url);
      pipeline = replaced(pipeline, 'collection_interval: 15s', 'collection_interval: 100ms');
      pipeline = replaced(pipeline, 'size: 1m', 'size: 1s');
      pipeline = replaced(pipeline, 'console: {}', 'console: { format: json }');
      const agent = fixture.agent(pipeline);
      await agent.start();

      fixture.service.set({ status: 503 });
      const down = await agent.waitForAlert((alert) => alert.rule === 'api_down' && alert.state === 'firing', 45_000);
      expect(down).toMatchObject({ service: 'api', level: 'critical', message: 'HTTP 503 Service Unavailable' });
      await vi.waitFor(async () => expect(await fixture.active('api_down')).toHaveLength(1), { timeout: 45_000, interval: 200 });
      const [paged] = await fixture.active('api_down');
      expect(paged!.labels).toMatchObject({ alertname: 'api_down', service: 'api', severity: 'critical' });
      expect(paged!.annotations['message']).toBe('HTTP 503 Service Unavailable');

      fixture.service.set({ status: 200 });
      await agent.waitForAlert((alert) => alert.rule === 'api_down' && alert.state === 'resolved', 45_000);
      await vi.waitFor(async () => expect(await fixture.active('api_down')).toEqual([]), { timeout: 45_000, interval: 200 });
      expect(await agent.stop('SIGTERM')).toBe(0);
    } finally {
      await fixture.stop();
    }
  });
});

import { firstValueFrom } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { healthCheckConfigSchema } from '../../../receivers/health_check/config.js';
import { createHttpCheck } from '../../../receivers/health_check/http/index.js';
import { createHealthCheckReceiver } from '../../../receivers/health_check/receiver.js';
import { createTestContext } from '../../helpers/context.js';

// The http check is another module's: the receiver must reach it through createHttpCheck only.
vi.mock('../../../receivers/health_check/http/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../receivers/health_check/http/index.js')>()),
  createHttpCheck: vi.fn(() => ({
    run: () => Promise.resolve({ state: 'ok', duration: 0.01, httpStatus: 200 }),
    close: vi.fn(),
  })),
}));

describe('health_check receiver with an http target', () => {
  it("makes the target's check with createHttpCheck, once, handing it the URL's credentials as secrets", async () => {
    const config = healthCheckConfigSchema.parse({
      collection_interval: '100ms',
      targets: [{ service: 'api', http: { url: 'http://watcher:pw-secret@127.0.0.1:8080/health' } }],
    });
    const batch = await firstValueFrom(createHealthCheckReceiver(config, createTestContext()));
    expect(vi.mocked(createHttpCheck)).toHaveBeenCalledTimes(1);
    const [httpConfig, environment] = vi.mocked(createHttpCheck).mock.calls[0]!;
    expect(httpConfig).toMatchObject({ url: 'http://watcher:pw-secret@127.0.0.1:8080/health' });
    expect(environment.now?.()).toBeTypeOf('number');
    expect(environment.secrets).toContain('pw-secret');
    const status = batch.find((point) => point.series.name === 'healthcheck.http.status_code')!;
    expect(status.value).toBe(200);
    expect(status.series.resource.attributes['service.instance.id']).toBe('http://127.0.0.1:8080/health');
  });
});

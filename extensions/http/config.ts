import { boundedInt, duration, parseListenAddress, secret, z } from '../../src/index.js';

export const httpConfigSchema = z
  .strictObject({
    endpoint: z
      .string()
      .refine((text) => parseListenAddress(text) !== undefined, {
        message: 'expected host:port, such as 127.0.0.1:13133 or [::1]:13133, with a port from 1 to 65535',
      })
      .default('127.0.0.1:13133')
      .describe(
        'Where the API and the status page listen, `host:port` (13133 is the collector\'s health_check port). The default host is the loopback interface only: anything else exposes the agent\'s state to the network.',
      ),
    token: secret(z.string().min(16, 'expected at least 16 characters'))
      .optional()
      .describe(
        'A bearer token (`Authorization: Bearer TOKEN`, at least 16 characters) that creating and expiring silences require; write it as `${env:VAR}`. Without it the API is read-only: those requests are refused. Reading never needs it.',
      ),
    poll_interval: duration({ min: 100, max: 60_000 })
      .prefault('1s')
      .describe('How often the live updates (`/api/events`) look at the store for changed levels and alerts, while a page listens.'),
    heartbeat_interval: duration({ min: 1000, max: 300_000 })
      .prefault('15s')
      .describe('A comment sent on every live-update stream this often, so proxies and browsers keep an idle stream open.'),
    max_streams: boundedInt({ min: 1, max: 1000, maxReason: 'each stream holds a connection open' })
      .default(32)
      .describe('Live-update streams open at once; a further one is refused with 503 until one closes.'),
  })
  .describe(
    'An HTTP API and a live status page on 127.0.0.1: the agent\'s own health (`/healthz`), each service\'s in `application/health+json`, history, alerts and run-time silences.',
  );

export type HttpConfig = z.output<typeof httpConfigSchema>;

import { duration, httpHeaders, httpUrl, size, z } from '../../../src/index.js';

const MiB = 1024 * 1024;

export const httpSdSourceSchema = z
  .strictObject({
    url: httpUrl().describe('The endpoint, answering a JSON list of { targets: ["host:port", …], labels: {…} } (Prometheus http_sd); user-info becomes Basic authorization and is never shown'),
    refresh_interval: duration({ min: '1s', max: '24h', maxReason: 'a registry read less than daily is not followed' })
      .prefault('30s')
      .describe('How often the endpoint is asked, with If-None-Match when it gave an ETag (Prometheus asks every 60s)'),
    timeout: duration({ min: '10ms', max: '1h', maxReason: 'an answer is awaited for less than an hour' })
      .prefault('10s')
      .describe('An answer not complete within this is a failure: the registry is down until the next refresh'),
    headers: httpHeaders().describe('Sent with every request (Authorization, …); their values are secrets, never shown'),
    max_size: size({ min: 1, max: 256 * MiB, maxReason: 'an answer is held whole in memory' })
      .prefault('16MiB')
      .describe('A larger answer is a failure rather than read whole'),
  })
  .describe('A Prometheus http_sd endpoint, polled');

export type HttpSdSourceConfig = z.output<typeof httpSdSourceSchema>;

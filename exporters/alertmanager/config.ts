import { duration, httpSinkFields, httpUrl, z } from '../../src/index.js';

export const alertmanagerConfigSchema = z
  .strictObject({
    url: httpUrl()
      .default('http://127.0.0.1:9093')
      .describe(
        "Alertmanager's base URL; alerts are POSTed to `<url>/api/v2/alerts`. User-info (`https://user:pass@host`) is sent as Basic auth and never logged.",
      ),
    ...httpSinkFields,
    resend_interval: duration({ min: '100ms', max: '1h', maxReason: 'Alertmanager resolves an alert not re-sent within its endsAt' })
      .prefault('1m')
      .describe(
        "How often firing alerts are re-sent. Each carries `endsAt` 4 × this ahead, as Prometheus sends them, so Alertmanager keeps it active between re-sends, gets it back after its own restart, and resolves it by itself if healthpipe is gone for good.",
      ),
  })
  .describe('Sends alerts to Prometheus Alertmanager (API v2), durably, and keeps firing ones active there.');

export type AlertmanagerConfig = z.output<typeof alertmanagerConfigSchema>;

/** Prometheus' rule: a firing alert's endsAt is this many resend intervals ahead. */
export const ENDS_AT_RESENDS = 4;

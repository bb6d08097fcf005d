import { httpSinkFields, httpUrl, z } from '../../src/index.js';

export const webhookConfigSchema = z
  .strictObject({
    url: httpUrl().describe(
      'Where each notification is POSTed. User-info (`https://user:pass@host`) is sent as Basic auth and never logged.',
    ),
    ...httpSinkFields,
    receiver: z
      .string()
      .min(1)
      .max(256)
      .default('healthpipe')
      .describe("The payload's `receiver`: the name a receiver of Alertmanager's webhooks routes or shows by."),
    external_url: z
      .string()
      .max(2048)
      .default('')
      .describe("The payload's `externalURL`: a link back for people (Alertmanager puts its own address there)."),
  })
  .describe("POSTs each alert change as Alertmanager's webhook payload (version 4), durably and in order per alert.");

export type WebhookConfig = z.output<typeof webhookConfigSchema>;

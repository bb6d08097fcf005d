import { timer } from 'rxjs';
import { DeliveredAlerts, DeliveryQueue, MAX_DELIVERED_ALERTS, sinkSender } from '../../src/index.js';
import type { ComponentContext, EventBatch, Exporter } from '../../src/index.js';
import type { WebhookConfig } from './config.js';
import { webhookPayload, type WebhookPayload } from './payload.js';

/** Delivers one payload; resolves when accepted, throws a DeliveryFailure (or anything, retried) otherwise. */
export type PostPayload = (payload: WebhookPayload) => Promise<void>;

/** What the outbox holds: one notification, keyed by the event's fingerprint. */
interface Notification {
  readonly fingerprint: string;
  readonly payload: WebhookPayload;
}

/** How often alerts no event renewed are looked for. */
const PRUNE_EVERY_MS = 3_600_000;
/** Notifications under way at once (never two of one alert). */
const CONCURRENCY = 4;

/**
 * The `webhook` sink: each event's change becomes one payload in Alertmanager's version 4
 * shape, with the labels and annotations the `alertmanager` sink sends; durable and in
 * order per fingerprint through the outbox. A level change resolves the alert of the old
 * severity and fires the new one, in one payload. `post` is injectable for tests.
 */
export function createWebhookExporter(config: WebhookConfig, ctx: ComponentContext, post?: PostPayload): Exporter<'alerts'> {
  const { scheduler, logger } = ctx;
  const { send, poster } = sinkSender<WebhookPayload>(
    { url: config.url, headers: config.headers, bearerToken: config.bearer_token, timeout: config.timeout },
    () => scheduler.now(),
    post,
  );
  const delivered = new DeliveredAlerts(ctx.storage.keyed('delivered'));

  const outbox = new DeliveryQueue<Notification>({
    storage: ctx.storage,
    namespace: 'outbox',
    scheduler,
    logger,
    telemetry: ctx.telemetry,
    status: ctx.status,
    keyOf: (notification) => notification.fingerprint,
    // One payload per request: a failed request then repeats nothing already accepted.
    send: async ([notification]) => send(notification!.payload),
    maxBatch: 1,
    concurrency: CONCURRENCY,
    retry: { maxInterval: config.retry_max_interval },
  });

  const pruning = timer(PRUNE_EVERY_MS, PRUNE_EVERY_MS, scheduler).subscribe(() => {
    delivered.prune(scheduler.now(), config.forget_after, MAX_DELIVERED_ALERTS);
  });
  if (poster !== undefined) logger.info('alerts go to a webhook', { url: poster.shownUrl });

  return {
    consume(batch: EventBatch): void {
      if (batch.length === 0) return;
      const now = scheduler.now();
      ctx.storage.transaction(() => {
        const notifications = batch.map((event) => ({
          fingerprint: event.fingerprint,
          payload: webhookPayload(delivered.apply(event, now), config.receiver, config.external_url),
        }));
        outbox.enqueue(notifications);
      });
    },

    flush: () => outbox.flush(),

    async shutdown(): Promise<void> {
      pruning.unsubscribe();
      await outbox.shutdown();
      poster?.close();
    },
  };
}

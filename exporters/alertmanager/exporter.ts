import { timer } from 'rxjs';
import {
  DeliveredAlerts,
  DeliveryQueue,
  MAX_DELIVERED_ALERTS,
  alertOf,
  classifyError,
  sinkSender,
} from '../../src/index.js';
import type { ComponentContext, EventBatch, Exporter } from '../../src/index.js';
import { ENDS_AT_RESENDS, type AlertmanagerConfig } from './config.js';
import { postable, queuedResends, type Notice, type PostableAlert } from './notice.js';

/** Delivers one POST body; resolves when accepted, throws a DeliveryFailure (or anything, retried) otherwise. */
export type PostAlerts = (alerts: readonly PostableAlert[]) => Promise<void>;

const OUTBOX = 'outbox';

/** `<base>/api/v2/alerts`, whether or not the base ends in a slash. */
export function alertsEndpoint(base: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  return url.toString();
}

/**
 * The `alertmanager` sink. `consume` only records and enqueues (synchronous, so it commits
 * with an upstream cooldown's decision); the outbox delivers in order per fingerprint,
 * retried until Alertmanager accepts. Firing alerts are re-sent every `resend_interval`
 * with `endsAt` pushed ahead; a level change resolves the alert of the old severity and
 * fires the new one. `post` is injectable for tests in virtual time.
 */
export function createAlertmanagerExporter(config: AlertmanagerConfig, ctx: ComponentContext, post?: PostAlerts): Exporter<'alerts'> {
  const { scheduler, logger } = ctx;
  const { send, poster } = sinkSender<readonly PostableAlert[]>(
    { url: alertsEndpoint(config.url), headers: config.headers, bearerToken: config.bearer_token, timeout: config.timeout },
    () => scheduler.now(),
    post,
  );
  const ahead = ENDS_AT_RESENDS * config.resend_interval;
  const delivered = new DeliveredAlerts(ctx.storage.keyed('delivered'));
  const resendsQueued = queuedResends(ctx.storage.log(OUTBOX));

  /** Notices that left the outbox (accepted, or refused for good): their fingerprints may be re-sent again. */
  const left = (notices: readonly Notice[]): void => {
    for (const notice of notices) if (notice.resend === true) resendsQueued.delete(notice.fingerprint);
  };

  const outbox = new DeliveryQueue<Notice>({
    storage: ctx.storage,
    namespace: OUTBOX,
    scheduler,
    logger,
    telemetry: ctx.telemetry,
    status: ctx.status,
    keyOf: (notice) => notice.fingerprint,
    send: async (notices) => {
      const now = scheduler.now();
      try {
        await send(notices.map((notice) => postable(notice, now, ahead)));
      } catch (error) {
        if (!classifyError(error).retryable) left(notices);
        throw error;
      }
      left(notices);
    },
    retry: { maxInterval: config.retry_max_interval },
  });

  /** Re-sends every firing alert whose previous re-send has gone out: a destination that is down gathers one per alert, not one per interval. */
  const resend = (): void => {
    const now = scheduler.now();
    const forgotten = delivered.prune(now, config.forget_after, MAX_DELIVERED_ALERTS);
    if (forgotten.length > 0) logger.warn('firing alerts no event renewed are forgotten: no longer re-sent', { alerts: forgotten.length });
    const notices: Notice[] = [];
    for (const [fingerprint, alert] of delivered.active()) {
      // Just sent by its event, or its last re-send not yet delivered: nothing to add.
      if (now - alert.renewedAt < config.resend_interval || resendsQueued.has(fingerprint)) continue;
      notices.push({ fingerprint, alert: alertOf(alert), resend: true });
    }
    try {
      outbox.enqueue(notices);
      for (const notice of notices) resendsQueued.add(notice.fingerprint);
    } catch (error) {
      logger.error('firing alerts could not be queued for re-sending; trying again at the next interval', { error });
    }
  };
  // At once too: after a restart Alertmanager may have let the alerts lapse.
  const resends = timer(0, config.resend_interval, scheduler).subscribe(resend);
  if (poster !== undefined) logger.info('alerts go to Alertmanager', { url: poster.shownUrl });

  return {
    consume(batch: EventBatch): void {
      if (batch.length === 0) return;
      const now = scheduler.now();
      // The record of what was delivered and the outbox commit together (and with an
      // upstream cooldown's decision, when it calls inside its own transaction).
      ctx.storage.transaction(() => {
        const notices: Notice[] = [];
        for (const event of batch) {
          const change = delivered.apply(event, now);
          const { fingerprint } = event;
          if (change.resolve !== undefined) {
            const { endsAt, ...alert } = change.resolve;
            notices.push({ fingerprint, alert, endsAt });
          }
          if (change.fire !== undefined) notices.push({ fingerprint, alert: change.fire });
        }
        outbox.enqueue(notices);
      });
    },

    flush: () => outbox.flush(),

    async shutdown(): Promise<void> {
      resends.unsubscribe();
      await outbox.shutdown();
      poster?.close();
    },
  };
}

import { defineProcessor } from '../../src/index.js';
import { cooldownConfigSchema } from './config.js';
import { cooldown } from './cooldown.js';

export const cooldownProcessor = defineProcessor({
  type: 'cooldown',
  description: 'Debounces health events per fingerprint + level: escalations and resolves go out at once, repeats inside the period are dropped.',
  schema: cooldownConfigSchema,
  input: 'alerts',
  output: 'alerts',
  create: (config, ctx) =>
    cooldown({
      component: ctx.id,
      period: config.period,
      repeatInterval: config.repeat_interval,
      sendResolved: config.send_resolved,
      silences: config.silences,
      runtimeSilences: ctx.silences,
      maxAlerts: config.max_alerts,
      storage: ctx.storage,
      scheduler: ctx.scheduler,
      onRepeat: (count) => {
        ctx.telemetry.dropped(count, { reason: 'repeat' });
        ctx.logger.once('dropped:repeat', 'info', 'repeats of an alert inside its cooldown period are dropped (counted as dropped)', {
          period_ms: config.period,
        });
      },
      onOverflow: () =>
        ctx.logger.once('max_alerts', 'warn', 'max_alerts reached: events of further alerts pass without cooldown', { max_alerts: config.max_alerts }),
      onMuted: (silence) =>
        ctx.logger.once(`silence:${silence.id ?? `${silence.endsAt}:${silence.comment}`}`, 'info', 'a silence mutes alerts', {
          comment: silence.comment,
          ends_at: new Date(silence.endsAt).toISOString(),
          ...(silence.id === undefined ? {} : { silence_id: silence.id }),
        }),
    }),
});

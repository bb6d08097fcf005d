import { boundedInt, duration, instant, silenceComment, silenceMatchers, z } from '../../src/index.js';

/** The ancestor's alert cooldown (DESIGN §1) and the `datapunk` profile's. */
export const DEFAULT_PERIOD = '300s';

export const silenceSchema = z
  .strictObject({
    matchers: silenceMatchers().describe(
      'Equality matchers, all of which must hold: `service`, `rule` and `level` match those fields of the alert, any other name one of its labels (a label the alert lacks matches only ""). Values are compared exactly; no regular expressions.',
    ),
    starts_at: instant().optional().describe('When the silence begins (ISO-8601 with a zone); absent: already begun.'),
    ends_at: instant().describe('When the silence ends (ISO-8601 with a zone). A silence that has ended is ignored.'),
    comment: silenceComment().describe('Why the alerts are silenced, and by whom.'),
  })
  .superRefine((silence, ctx) => {
    if (silence.starts_at !== undefined && silence.ends_at <= silence.starts_at) {
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'ends_at must be later than starts_at' });
    }
  });

export type SilenceConfig = z.output<typeof silenceSchema>;

export const cooldownConfigSchema = z
  .strictObject({
    period: duration({ min: '1ms' })
      .prefault(DEFAULT_PERIOD)
      .describe(
        'How long a level of an alert, once notified, is not notified again (the key is fingerprint + level). An escalation to a level not notified since the alert last resolved, a resolve, and the first firing after a resolve go out at once.',
      ),
    repeat_interval: duration({ min: '1ms' })
      .optional()
      .describe(
        'Re-sends an alert still firing this long after its last notification. Absent: never (the `alertmanager` exporter re-sends active alerts itself). At least `period`.',
      ),
    send_resolved: z
      .boolean()
      .default(true)
      .describe('Sends a resolve when an alert whose firing was notified resolves. Never a resolve for a firing that was not notified.'),
    silences: z
      .array(silenceSchema)
      .default([])
      .describe(
        'Mute firing notifications of matching alerts between two times; their state is kept, and an alert still firing when its silence ends goes out then. A resolve of a notified alert always goes out.',
      ),
    max_alerts: boundedInt({
      min: 1,
      max: 10_000_000,
      maxReason: 'every alert holds its last events in memory, and ten million is already gigabytes',
    })
      .default(100_000)
      .describe('Most alerts (fingerprints) tracked at once; past it, events of further alerts pass without cooldown, logged once.'),
  })
  .superRefine((config, ctx) => {
    if (config.repeat_interval !== undefined && config.repeat_interval < config.period) {
      ctx.addIssue({ code: 'custom', path: ['repeat_interval'], message: 'repeat_interval must be at least period: a repeat inside the cooldown is what the cooldown drops' });
    }
  })
  .describe('Debounces health events per fingerprint + level: escalations and resolves go out at once, repeats inside the period are dropped.');

export type CooldownConfig = z.output<typeof cooldownConfigSchema>;

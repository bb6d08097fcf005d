import { z } from 'zod';
import { defineExporter, defineExtension } from '../../src/component/define.js';
import type { ExtensionContext } from '../../src/component/types.js';
import { secret } from '../../src/config/schema-secrets.js';
import { port } from '../../src/config/numbers.js';

/** What the test extensions did, in order, and the contexts they were made with. */
export class ExtensionLog {
  readonly events: string[];
  readonly contexts = new Map<string, ExtensionContext>();
  /** Ids whose start rejects (with `refuse_start` unset): set by a test between applies. */
  readonly refusing = new Set<string>();

  constructor(events: string[] = []) {
    this.events = events;
  }
}

/** A test extension: records create/start/shutdown; `refuse_start` (or `log.refusing`) makes its start reject. */
export function beaconExtension(log: ExtensionLog) {
  return defineExtension({
    type: 'beacon',
    description: 'test: an extension that records its lifecycle',
    schema: z.strictObject({
      port: port().default(13133).describe('Where it would listen.'),
      token: secret(z.string()).optional().describe('A bearer token.'),
      refuse_start: z.boolean().default(false).describe('Its start rejects.'),
      label: z.string().default('').describe('Changes its config, nothing else.'),
    }),
    create(config, context) {
      log.events.push(`create ${context.id}${config.label === '' ? '' : ` ${config.label}`}`);
      log.contexts.set(context.id, context);
      return {
        async start() {
          log.events.push(`start ${context.id}${config.label === '' ? '' : ` ${config.label}`}`);
          if (config.refuse_start || log.refusing.has(context.id)) throw new Error(`cannot listen on 127.0.0.1:${config.port}: address already in use`);
        },
        async shutdown() {
          log.events.push(`shutdown ${context.id}${config.label === '' ? '' : ` ${config.label}`}`);
        },
      };
    },
  });
}

/** An exporter marked `single`, as the `history` exporter is. */
export const ledgerExporter = defineExporter({
  type: 'ledger',
  description: 'test: one per configuration',
  signals: ['metrics', 'alerts'],
  single: true,
  schema: z.strictObject({}),
  create: () => ({ consume: () => undefined, flush: async () => undefined, shutdown: async () => undefined }),
});

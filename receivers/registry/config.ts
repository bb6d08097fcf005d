import { duration, z } from '../../src/index.js';
import { REGISTRY_SOURCES, SOURCE_NAMES, type SourceName } from './sources.js';

type OptionalSources = { [K in SourceName]: z.ZodOptional<(typeof REGISTRY_SOURCES)[K]['schema']> };

function optionalSources(): OptionalSources {
  return Object.fromEntries(SOURCE_NAMES.map((name) => [name, REGISTRY_SOURCES[name].schema.optional()])) as OptionalSources;
}

export const registryConfigSchema = z
  .strictObject({
    ...optionalSources(),
    collection_interval: duration({ min: '100ms', max: '24h', maxReason: 'a registry counted less than once a day is not watched' })
      .prefault('15s')
      .describe('How often registry.instance.count and registry.heartbeat.age are emitted. Changes of the registry are published at once, not on this interval'),
  })
  .superRefine((config, ctx) => {
    const given = SOURCE_NAMES.filter((name) => config[name] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      message:
        given.length === 0
          ? `a registry needs one source: ${SOURCE_NAMES.join(', ')}`
          : `a registry follows exactly one source, not ${given.join(' and ')}; use one registry receiver per source (registry/a, registry/b)`,
    });
  })
  .describe('Follows one registry (a watched file, etcd, an http_sd endpoint) and publishes its instances to the receivers that name it in targets_from');

export type RegistryConfig = z.output<typeof registryConfigSchema>;

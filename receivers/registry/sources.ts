import type { ComponentContext, z } from '../../src/index.js';
import { createEtcdSource, etcdSourceSchema } from './etcd/index.js';
import { createFileSource, fileSourceSchema } from './file/index.js';
import { createHttpSdSource, httpSdSourceSchema } from './http-sd/index.js';
import type { RegistrySource } from './source.js';

/** What a source may use of the receiver's context: the clock and the log. */
export type SourceContext = Pick<ComponentContext, 'scheduler' | 'logger'>;

/** A kind of registry: the schema of its config key and how to follow it. */
export interface SourceKind<S extends z.ZodType> {
  readonly schema: S;
  create(config: z.output<S>, context: SourceContext): RegistrySource;
}

function sourceKind<S extends z.ZodType>(schema: S, create: (config: z.output<S>, context: SourceContext) => RegistrySource): SourceKind<S> {
  return { schema, create };
}

/**
 * Every kind of registry, by its config key: the receiver's config takes exactly one of
 * them. Adding a source is one entry here (its schema and its `create`).
 */
export const REGISTRY_SOURCES = {
  file: sourceKind(fileSourceSchema, createFileSource),
  etcd: sourceKind(etcdSourceSchema, createEtcdSource),
  http_sd: sourceKind(httpSdSourceSchema, createHttpSdSource),
};

export type SourceName = keyof typeof REGISTRY_SOURCES;

export const SOURCE_NAMES = Object.keys(REGISTRY_SOURCES) as SourceName[];

/** The config keys of the sources, each optional: `{ file?: …, http_sd?: … }`. */
export type SourceOptions = { [K in SourceName]?: z.output<(typeof REGISTRY_SOURCES)[K]['schema']> };

/** The one source a validated config names. */
export function createSource(config: SourceOptions, context: SourceContext): RegistrySource {
  for (const name of SOURCE_NAMES) {
    const options = config[name];
    if (options === undefined) continue;
    // One entry of the table with its own config: TypeScript cannot pair them through the loop variable.
    const kind = REGISTRY_SOURCES[name] as SourceKind<z.ZodType>;
    return kind.create(options, context);
  }
  throw new Error('a registry config names no source; its schema requires one');
}

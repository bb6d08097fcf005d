import type { OperatorFunction, SchedulerLike } from 'rxjs';
import { builtinRegistry } from '../src/builtins.js';
import type { ComponentKind, Exporter, ExporterFactory, ProcessorFactory } from '../src/component/types.js';
import type { Store } from '../src/storage/index.js';
import { SelfTelemetry } from '../src/telemetry/self-telemetry.js';
import { createTestContext } from '../test/helpers/context.js';

/**
 * The alerting components as the agent makes them: looked up by type in the built-in
 * registry, their config parsed by their own schema (defaults included), created with a
 * context on one shared store (so cooldown's transaction and the sink's outbox commit
 * together, as in the runtime) and the bench's scheduler.
 */

const registry = builtinRegistry(new SelfTelemetry('bench'));

function factoryOf(kind: ComponentKind, type: string) {
  const factory = registry.get(kind, type);
  if (factory === undefined) throw new Error(`bench: no built-in ${kind} "${type}"`);
  return factory;
}

/** A processor's operator, from its config as pipeline.yaml would hold it. */
export function processorOperator<In, Out>(
  type: string,
  written: unknown,
  store: Store,
  scheduler: SchedulerLike,
): OperatorFunction<In, Out> {
  const factory = factoryOf('processor', type) as ProcessorFactory;
  const context = createTestContext({ id: type, scheduler, store });
  return factory.create(factory.schema.parse(written), context) as unknown as OperatorFunction<In, Out>;
}

/** An exporter, from its config as pipeline.yaml would hold it. */
export function exporterOf(type: string, written: unknown, store: Store, scheduler: SchedulerLike): Exporter {
  const factory = factoryOf('exporter', type) as ExporterFactory;
  return factory.create(factory.schema.parse(written), createTestContext({ id: type, scheduler, store }));
}

import type { Exporter, Extension } from '../component/types.js';
import { HealthpipeError } from '../errors.js';
import { reasonOf } from './reason.js';

/**
 * Awaits a component's start (an exporter's optional one, an extension's); a rejection
 * becomes which component failed, and why. The caller shuts the component down: it may hold
 * part of what it took.
 */
export async function startComponent(kind: 'exporter' | 'extension', id: string, start: () => Promise<void> | undefined): Promise<void> {
  try {
    await start();
  } catch (error) {
    throw new HealthpipeError('COMPONENT_START', `${kind} ${id} could not start: ${reasonOf(error)}`, { component: id, cause: error });
  }
}

/** An exporter's optional `start` (a port to bind), as startComponent. */
export function startExporter(id: string, exporter: Exporter): Promise<void> {
  return startComponent('exporter', id, () => exporter.start?.());
}

/** An extension's `start`, as startComponent. */
export function startExtension(id: string, extension: Extension): Promise<void> {
  return startComponent('extension', id, () => extension.start());
}

/**
 * Starts every exporter at once and waits for all of them to settle, so none is left
 * starting behind a failure; tells `settled` how each went, and throws the first failure in
 * their order.
 */
export async function startExporters(
  exporters: ReadonlyMap<string, Exporter>,
  settled: (id: string, error?: HealthpipeError) => void = () => undefined,
): Promise<void> {
  const results = await Promise.allSettled(
    [...exporters].map(async ([id, exporter]) => {
      try {
        await startExporter(id, exporter);
        settled(id);
      } catch (error) {
        settled(id, error as HealthpipeError);
        throw error;
      }
    }),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

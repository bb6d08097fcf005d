import type { Exporter } from '../component/types.js';
import { HealthpipeError } from '../errors.js';
import { reasonOf } from './reason.js';

/**
 * Awaits an exporter's optional `start` (a port to bind); a rejection becomes which exporter
 * failed, and why. The caller shuts the exporter down: it may hold part of what it took.
 */
export async function startExporter(id: string, exporter: Exporter): Promise<void> {
  try {
    await exporter.start?.();
  } catch (error) {
    throw new HealthpipeError('COMPONENT_START', `exporter ${id} could not start: ${reasonOf(error)}`, { component: id, cause: error });
  }
}

/**
 * Starts every exporter at once and waits for all of them to settle, so none is left
 * starting behind a failure; throws the first failure in their order.
 */
export async function startExporters(exporters: ReadonlyMap<string, Exporter>): Promise<void> {
  const results = await Promise.allSettled([...exporters].map(([id, exporter]) => startExporter(id, exporter)));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

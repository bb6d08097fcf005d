import type { LogLevel } from '../component/logger.js';
import type { ComponentRegistry } from '../component/registry.js';
import type { AnyFactory } from '../component/types.js';
import type { ProblemCollector } from './collector.js';
import { checkPipelines, checkServiceExtensions, type ComponentsByKind } from './pipelines.js';
import { pipelineSchema, serviceExtensionsSchema, serviceSettingsSchema, type PipelineSection } from './schema.js';
import type { ConfigTree } from './tree.js';
import type { PipelineConfig } from './types.js';
import { validateAt } from './validate.js';
import { asMap } from './values.js';

export interface CheckedService {
  readonly dataDir: string;
  readonly extensions: string[];
  readonly logLevel: LogLevel;
  readonly metricsInterval: number;
  readonly shutdownTimeout: number;
  readonly exporterQueueSize: number;
  readonly pipelines: PipelineConfig[];
}

/**
 * Checks `service:` part by part — settings, each pipeline, the extension list — and then
 * the graph rules over the pipelines that are well-formed. Returns undefined when any part
 * is wrong (the problems are in the collector).
 */
export function checkService(
  written: unknown,
  components: ComponentsByKind,
  /** Every extension id written under `extensions:`, with its factory when its type is known. */
  extensions: ReadonlyMap<string, AnyFactory | undefined>,
  registry: ComponentRegistry,
  tree: ConfigTree,
  problems: ProblemCollector,
  /** Receivers named as target sources: used, whether or not a pipeline lists them. */
  targetSources: ReadonlySet<string> = new Set(),
): CheckedService | undefined {
  const settings = validateAt(serviceSettingsSchema, ['service'], written, tree, problems);
  // Not a map at all: that one problem is enough.
  if (written !== undefined && written !== null && asMap(written) === undefined) return undefined;
  const section = asMap(written) ?? {};

  const listed = validateAt(serviceExtensionsSchema, ['service', 'extensions'], section['extensions'], tree, problems);
  if (listed.ok) checkServiceExtensions(listed.value, extensions, problems);

  const pipelines = checkPipelineShapes(section['pipelines'], tree, problems);
  const resolved =
    pipelines === undefined
      ? []
      : checkPipelines(pipelines.wellFormed, components, registry, problems, pipelines.allWellFormed, targetSources);

  if (!settings.ok || !listed.ok || pipelines === undefined || !pipelines.allWellFormed) return undefined;
  return {
    dataDir: settings.value.data_dir,
    extensions: listed.value,
    logLevel: settings.value.telemetry.logs.level,
    metricsInterval: settings.value.telemetry.metrics.interval,
    shutdownTimeout: settings.value.shutdown_timeout,
    exporterQueueSize: settings.value.exporter_queue_size,
    pipelines: resolved,
  };
}

function checkPipelineShapes(
  written: unknown,
  tree: ConfigTree,
  problems: ProblemCollector,
): { wellFormed: Record<string, PipelineSection>; allWellFormed: boolean } | undefined {
  if (written === undefined || written === null) return { wellFormed: {}, allWellFormed: true };
  const section = asMap(written);
  if (section === undefined) {
    problems.at(['service', 'pipelines'], 'expected a map of pipelines (metrics, alerts, …)');
    return undefined;
  }
  const wellFormed: Record<string, PipelineSection> = {};
  let allWellFormed = true;
  for (const [id, pipeline] of Object.entries(section)) {
    const checked = validateAt(pipelineSchema, ['service', 'pipelines', id], pipeline, tree, problems);
    if (checked.ok) wellFormed[id] = checked.value;
    else allWellFormed = false;
  }
  return { wellFormed, allWellFormed };
}

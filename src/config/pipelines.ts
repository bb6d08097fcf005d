import type { ComponentRegistry } from '../component/registry.js';
import { KIND_SECTIONS, KINDS, type AnyFactory, type ComponentKind } from '../component/types.js';
import type { Signal } from '../model/signal.js';
import type { ProblemCollector } from './collector.js';
import type { SectionComponents } from './components.js';
import type { PathSegment } from './located.js';
import type { PipelineSection } from './schema.js';
import { unknownName } from './suggest.js';
import type { PipelineConfig } from './types.js';

const PIPELINE_ID = /^(metrics|alerts)(?:\/[A-Za-z0-9_.-]+)?$/;

export type ComponentsByKind = Readonly<Record<ComponentKind, SectionComponents>>;

/**
 * The collector's graph rules: typed pipeline ids, at least one receiver and exporter,
 * references that exist, no duplicates, processors chained by signal (receivers produce
 * metrics; `threshold`-like processors turn them into alerts), exporters that accept the
 * pipeline's signal, and no component left out of every pipeline.
 */
export function checkPipelines(
  pipelines: Readonly<Record<string, PipelineSection>>,
  components: ComponentsByKind,
  registry: ComponentRegistry,
  problems: ProblemCollector,
  /**
   * False when some pipeline was malformed and is missing here: then the rules that need
   * every pipeline (none defined, component unused) would only report false problems.
   */
  complete = true,
  /** Receivers named in another receiver's sources (`targets_from`): a use of their own. */
  targetSources: ReadonlySet<string> = new Set(),
): PipelineConfig[] {
  const ids = Object.keys(pipelines);
  if (ids.length === 0) {
    if (!complete) return [];
    problems.at(['service', 'pipelines'], 'at least one pipeline is required (metrics or alerts)', 'key');
    return [];
  }
  const used: Record<ComponentKind, Set<string>> = { receiver: new Set(targetSources), processor: new Set(), exporter: new Set() };
  const resolved: PipelineConfig[] = [];
  for (const id of ids) {
    const pipeline = pipelines[id]!;
    const base: PathSegment[] = ['service', 'pipelines', id];
    const signal = PIPELINE_ID.exec(id)?.[1] as Signal | undefined;
    if (signal === undefined) {
      problems.at(base, `pipeline id "${id}" must be metrics, alerts, metrics/<name> or alerts/<name>`, 'key');
    }
    for (const kind of KINDS) {
      checkReferences(kind, pipeline[KIND_SECTIONS[kind]], base, components, problems);
      for (const reference of pipeline[KIND_SECTIONS[kind]]) used[kind].add(reference);
    }
    if (pipeline.receivers.length === 0) problems.at([...base, 'receivers'], 'a pipeline needs at least one receiver');
    if (pipeline.exporters.length === 0) problems.at([...base, 'exporters'], 'a pipeline needs at least one exporter');
    if (signal === undefined) continue;
    checkProcessorChain(signal, pipeline.processors, base, components, registry, problems);
    checkExporterSignals(signal, pipeline.exporters, base, components, problems);
    resolved.push({
      id,
      signal,
      receivers: pipeline.receivers,
      processors: pipeline.processors,
      exporters: pipeline.exporters,
    });
  }
  if (!complete) return resolved;
  for (const kind of KINDS) {
    for (const [id, factory] of components[kind].defined) {
      // A component with an unknown type or a bad id already has its problem.
      if (factory !== undefined && !used[kind].has(id)) {
        problems.at([KIND_SECTIONS[kind], id], `${kind} "${id}" is defined but not used in any pipeline`, 'key');
      }
    }
  }
  return resolved;
}

function checkReferences(
  kind: ComponentKind,
  references: readonly string[],
  base: readonly PathSegment[],
  components: ComponentsByKind,
  problems: ProblemCollector,
): void {
  const listKey = KIND_SECTIONS[kind];
  const seen = new Set<string>();
  references.forEach((reference, index) => {
    const path = [...base, listKey, index];
    if (seen.has(reference)) {
      problems.at(path, `${kind} "${reference}" is listed more than once`);
      return;
    }
    seen.add(reference);
    if (components[kind].defined.has(reference)) return;
    const elsewhere = KINDS.find(
      (other) => other !== kind && components[other].defined.has(reference),
    );
    const problem = `${kind} "${reference}" is not defined in the ${KIND_SECTIONS[kind]} section`;
    problems.at(
      path,
      elsewhere === undefined
        ? unknownName(problem, reference, [...components[kind].defined.keys()], { label: `defined ${KIND_SECTIONS[kind]}` })
        : `${problem} (it is ${elsewhere === 'exporter' ? 'an' : 'a'} ${elsewhere})`,
    );
  });
}

function checkProcessorChain(
  signal: Signal,
  processors: readonly string[],
  base: readonly PathSegment[],
  components: ComponentsByKind,
  registry: ComponentRegistry,
  problems: ProblemCollector,
): void {
  // Receivers produce metrics; each processor takes the current signal and may change it.
  let current: Signal = 'metrics';
  let source = 'the receivers';
  for (const [index, id] of processors.entries()) {
    const factory = components.processor.defined.get(id);
    // Past an unknown processor the signal is unknown: stop rather than guess.
    if (factory === undefined || factory.kind !== 'processor') return;
    if (factory.input !== current) {
      problems.at(
        [...base, 'processors', index],
        `processor "${id}" takes ${factory.input}, but receives ${current} from ${source}`,
      );
    }
    current = factory.output;
    source = `processor "${id}"`;
  }
  if (current === signal) return;
  const where = [...base, 'processors'];
  if (signal === 'alerts') {
    const converters = registry
      .all()
      .filter((factory) => factory.kind === 'processor' && factory.input === 'metrics' && factory.output === 'alerts')
      .map((factory) => `"${factory.type}"`);
    const examples = converters.length === 0 ? '"threshold"' : converters.join(' or ');
    problems.at(
      where,
      `an alerts pipeline must turn metrics into alerts, but its processors end with ${current}: add a processor that does, such as ${examples}`,
    );
  } else {
    problems.at(where, `${withArticle(signal)} pipeline must end with ${signal}, but its processors turn them into ${current}`);
  }
}

function checkExporterSignals(
  signal: Signal,
  exporters: readonly string[],
  base: readonly PathSegment[],
  components: ComponentsByKind,
  problems: ProblemCollector,
): void {
  exporters.forEach((id, index) => {
    const factory = components.exporter.defined.get(id);
    if (factory === undefined || factory.kind !== 'exporter') return;
    const accepted: readonly Signal[] = factory.signals;
    if (!accepted.includes(signal)) {
      problems.at(
        [...base, 'exporters', index],
        `exporter "${id}" accepts ${accepted.join(' and ')} only, so it cannot be in ${withArticle(signal)} pipeline`,
      );
    }
  });
}

function withArticle(signal: Signal): string {
  return signal === 'alerts' ? 'an alerts' : 'a metrics';
}

/**
 * `service.extensions` entries must be defined under `extensions:`, each once; an extension
 * defined but not listed would never start, which is reported like an unused component.
 */
export function checkServiceExtensions(
  references: readonly string[],
  defined: ReadonlyMap<string, AnyFactory | undefined>,
  problems: ProblemCollector,
): void {
  const seen = new Set<string>();
  references.forEach((reference, index) => {
    const path = ['service', 'extensions', index];
    if (seen.has(reference)) problems.at(path, `extension "${reference}" is listed more than once`);
    else if (!defined.has(reference)) {
      problems.at(
        path,
        unknownName(`extension "${reference}" is not defined in the extensions section`, reference, [...defined.keys()], {
          label: 'defined extensions',
        }),
      );
    }
    seen.add(reference);
  });
  for (const [id, factory] of defined) {
    // One with an unknown type or a bad id already has its problem.
    if (factory !== undefined && !seen.has(id)) {
      problems.at(['extensions', id], `extension "${id}" is defined but not listed in service.extensions`, 'key');
    }
  }
}

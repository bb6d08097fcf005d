import * as path from 'node:path';
import type { ComponentRegistry } from '../component/registry.js';
import { FileReadError, readBoundedFile, type ReadLimits } from '../io/bounded-read.js';
import { ProblemCollector } from './collector.js';
import { checkSingleTypes, resolveSection } from './components.js';
import type { Environment } from './env.js';
import { expandEnvInTree } from './expand.js';
import type { LocatedNode, SourcePosition } from './located.js';
import { mergeNodes } from './merge.js';
import { parseYamlSource } from './parse.js';
import type { ConfigProblem } from './problem.js';
import { rootSchema } from './schema.js';
import { checkService } from './service.js';
import { checkTargetSources } from './targets-from.js';
import { ConfigTree } from './tree.js';
import type { ConfigSource, LoadResult, ResolvedConfig } from './types.js';
import { validateAt } from './validate.js';
import { asMap } from './values.js';

/**
 * Reads, merges, expands and validates the configuration files, in order. A missing or
 * unreadable file is a problem, not a throw; every other problem is collected too.
 */
export async function loadConfig(
  files: string[],
  registry: ComponentRegistry,
  env: Environment = process.env,
): Promise<LoadResult> {
  const read = await readConfigSources(files);
  if (!read.ok) return read;
  return loadConfigFromSources(read.sources, registry, env);
}

export type ReadSourcesResult = { ok: true; sources: ConfigSource[] } | { ok: false; problems: ConfigProblem[] };

/**
 * A configuration is a few KiB; 4 MiB leaves room for generated ones and refuses `/dev/zero`
 * or a wrong path at once. 2 s is far beyond any local read.
 */
export const CONFIG_READ_LIMITS: ReadLimits = { maxBytes: 4 * 1024 * 1024, timeoutMs: 2_000, what: 'a configuration file' };

/** Reads every file, reporting each one that cannot be read. */
export async function readConfigSources(files: readonly string[]): Promise<ReadSourcesResult> {
  if (files.length === 0) return { ok: false, problems: [{ path: '', message: 'no configuration file given' }] };
  const problems: ConfigProblem[] = [];
  const sources: ConfigSource[] = [];
  for (const file of files) {
    try {
      sources.push({ name: file, text: (await readBoundedFile(file, CONFIG_READ_LIMITS)).toString('utf8') });
    } catch (error) {
      problems.push({ file, path: '', message: readFailure(error) });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, sources };
}

function readFailure(error: unknown): string {
  const reason = error instanceof FileReadError ? error.detail : String(error);
  return `cannot read the configuration: ${reason}`;
}

type Prepared =
  | { ok: true; tree: ConfigTree; problems: ProblemCollector; fileOrder: string[] }
  | { ok: false; problems: ConfigProblem[] };

/** Parse every file, merge in order, then expand env references, as the collector does. */
function prepare(sources: readonly ConfigSource[], env: Environment): Prepared {
  if (sources.length === 0) return { ok: false, problems: [{ path: '', message: 'no configuration file given' }] };
  const fileOrder = sources.map((source) => source.name);
  const roots: LocatedNode[] = [];
  const syntaxProblems: ConfigProblem[] = [];
  for (const source of sources) {
    const parsed = parseYamlSource(source.name, source.text);
    if (parsed.ok) roots.push(parsed.root);
    else syntaxProblems.push(...parsed.problems);
  }
  // A file that did not parse would make every later check misleading.
  if (syntaxProblems.length > 0) return { ok: false, problems: syntaxProblems };
  const merged = roots.reduce((base, overlay) => mergeNodes(base, overlay));
  const expanded = expandEnvInTree(merged, env);
  const tree = new ConfigTree(expanded.root);
  const problems = new ProblemCollector(tree, new Set([...expanded.environmentValues, ...tree.secretValues]));
  for (const problem of expanded.problems) {
    problems.at(problem.path, problem.message);
    problems.suppressBelow(problem.path);
  }
  if (merged.kind !== 'map') {
    problems.at([], 'the configuration must be a map of sections (receivers, processors, exporters, service, …)');
  }
  return { ok: true, tree, problems, fileOrder };
}

/** Validates configuration texts already read (tests, `validate` on stdin, reload). */
export function loadConfigFromSources(
  sources: Array<{ name: string; text: string }>,
  registry: ComponentRegistry,
  env: Environment = process.env,
): LoadResult {
  const prepared = prepare(sources, env);
  if (!prepared.ok) return prepared;
  const { tree, problems, fileOrder } = prepared;
  const root = asMap(tree.value) ?? {};

  const top = validateAt(rootSchema, [], root, tree, problems);
  const receivers = resolveSection('receiver', asMap(root['receivers']) ?? {}, registry, tree, problems);
  const processors = resolveSection('processor', asMap(root['processors']) ?? {}, registry, tree, problems);
  const exporters = resolveSection('exporter', asMap(root['exporters']) ?? {}, registry, tree, problems);
  const extensions = resolveSection('extension', asMap(root['extensions']) ?? {}, registry, tree, problems);
  const targetSources = checkTargetSources(receivers, problems);
  checkSingleTypes({ receiver: receivers, processor: processors, exporter: exporters, extension: extensions }, problems);

  const components = { receiver: receivers, processor: processors, exporter: exporters };
  const service = checkService(root['service'], components, extensions.defined, registry, tree, problems, targetSources);

  if (problems.count > 0 || !top.ok || service === undefined) return { ok: false, problems: problems.sorted(fileOrder) };

  const firstDirectory = path.dirname(path.resolve(fileOrder[0]!));
  const pluginDirectory = path.dirname(path.resolve(tree.fileOf(['plugins']) ?? fileOrder[0]!));
  const config: ResolvedConfig = {
    files: fileOrder,
    plugins: top.value.plugins.map((plugin) => resolvePluginSpecifier(plugin, pluginDirectory)),
    receivers: receivers.configs,
    processors: processors.configs,
    exporters: exporters.configs,
    // Every extension defined is listed (or the load failed): started in the listed order.
    extensions: new Map(service.extensions.map((id) => [id, extensions.configs.get(id)!])),
    pipelines: service.pipelines,
    secrets: tree.secretValues,
    service: {
      dataDir: path.resolve(firstDirectory, service.dataDir),
      ...positionOf(tree.locate(['service', 'data_dir'], 'value')),
      extensions: service.extensions,
      logLevel: service.logLevel,
      metricsInterval: service.metricsInterval,
      shutdownTimeout: service.shutdownTimeout,
      exporterQueueSize: service.exporterQueueSize,
    },
  };
  return { ok: true, config };
}

/** `directory`: the folder of the file that lists the plugins, where package plugins are installed. */
export type PluginListResult = { ok: true; plugins: string[]; directory: string } | { ok: false; problems: ConfigProblem[] };

/**
 * Only the `plugins:` list, checked and resolved: plugins register component types, so
 * they must be loaded into the registry before the rest of the file can be validated.
 */
export function pluginSpecifiersFromSources(sources: readonly ConfigSource[], env: Environment = process.env): PluginListResult {
  const prepared = prepare(sources, env);
  if (!prepared.ok) return prepared;
  const { tree, problems, fileOrder } = prepared;
  const plugins = validateAt(rootSchema.shape.plugins, ['plugins'], asMap(tree.value)?.['plugins'], tree, problems);
  // Only problems of the list itself (or of the whole file) stop here; the full load, which
  // needs the plugins' types, reports every other problem at once.
  const blocking = problems.sorted(fileOrder).filter((problem) => problem.path === '' || /^plugins\b/.test(problem.path));
  if (!plugins.ok || blocking.length > 0) return { ok: false, problems: blocking };
  const directory = path.dirname(path.resolve(tree.fileOf(['plugins']) ?? fileOrder[0]!));
  return { ok: true, plugins: plugins.value.map((plugin) => resolvePluginSpecifier(plugin, directory)), directory };
}

/** `./x.js` and `/x.js` are files next to the config; anything else is a package name. */
function resolvePluginSpecifier(specifier: string, directory: string): string {
  return specifier.startsWith('.') || specifier.startsWith('/') ? path.resolve(directory, specifier) : specifier;
}

function positionOf(position: SourcePosition | undefined): { dataDirPosition?: SourcePosition } {
  return position === undefined ? {} : { dataDirPosition: position };
}

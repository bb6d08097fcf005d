import { hostname } from 'node:os';
import { builtinRegistry } from '../builtins.js';
import { loadConfigFromSources, pluginSpecifiersFromSources, readConfigSources, type ConfigProblem } from '../config/index.js';
import { loadPlugins } from '../plugins/loader.js';
import { SelfTelemetry } from '../telemetry/self-telemetry.js';
import type { RunConfigChoice } from './config-choice.js';

export type DataDirResult = { ok: true; dataDir: string } | { ok: false; problems: ConfigProblem[] };

/**
 * The `service.data_dir` the agent of this configuration uses, as `run` resolves it (the
 * embedded default's store in the current directory). The files are read and checked as
 * `run` does, so a reader and the agent never disagree on the directory; unlike `run` and
 * `validate`, nothing is created or probed there: a reader must leave the agent's directory
 * as it finds it, and may not be allowed to write in it at all.
 */
export async function findDataDir(choice: RunConfigChoice): Promise<DataDirResult> {
  if (choice.embedded !== undefined) return { ok: true, dataDir: choice.embedded.dataDir };
  const read = await readConfigSources(choice.files);
  if (!read.ok) return read;
  const plugins = pluginSpecifiersFromSources(read.sources);
  if (!plugins.ok) return plugins;
  const selfTelemetry = new SelfTelemetry(hostname());
  try {
    const registry = builtinRegistry(selfTelemetry);
    await loadPlugins(plugins.plugins, registry, { from: plugins.directory });
    const loaded = loadConfigFromSources(read.sources, registry);
    return loaded.ok ? { ok: true, dataDir: loaded.config.service.dataDir } : loaded;
  } finally {
    await selfTelemetry.shutdown();
  }
}

import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../package-root.js';

/** The file `run` and `validate` read when no `--config` is given. */
export const DEFAULT_CONFIG = 'pipeline.yaml';

/** The files `run` reads, and, when it falls back to the package's own default, where that file is and where its store goes. */
export interface RunConfigChoice {
  readonly files: string[];
  readonly embedded?: { readonly file: string; readonly dataDir: string };
}

/**
 * `--config` files as given; without any, `pipeline.yaml` of the current directory; and
 * when there is none, the embedded default shipped at the package root (an installed agent
 * has one too). That default runs as if its file sat in the current directory: its store
 * goes to `./data` here, not into the package, which for an installed agent is inside
 * `node_modules`. A `pipeline.yaml` that exists but cannot be read is still the one chosen,
 * so its problem is reported rather than silently replaced.
 */
export function chooseRunConfig(given: readonly string[] | undefined, cwd: string = process.cwd()): RunConfigChoice {
  if (given !== undefined) return { files: [...given] };
  if (mayExist(join(cwd, DEFAULT_CONFIG))) return { files: [DEFAULT_CONFIG] };
  const file = join(packageRoot(), DEFAULT_CONFIG);
  return { files: [file], embedded: { file, dataDir: resolve(cwd, 'data') } };
}

/** False only when the file is certainly absent; a permission error leaves the reading to report it. */
function mayExist(file: string): boolean {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

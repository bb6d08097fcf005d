import { ConfigTree } from '../config/tree.js';
import { mergeNodes } from '../config/merge.js';
import { parseYamlSource } from '../config/parse.js';
import type { LocatedNode } from '../config/located.js';
import type { ConfigProblem, ConfigSource, ResolvedConfig } from '../config/index.js';
import { DirectoryError } from '../io/ensure-directory.js';
import { ensureWritableDirectory } from '../io/writable-directory.js';

const DATA_DIR_PATH = ['service', 'data_dir'];

/**
 * Creates (or opens) `service.data_dir` and proves a file can be written there, as the store
 * will; a failure is a problem at `service.data_dir` in the files, so `validate` reports it
 * and `run` stops before starting anything.
 */
export function dataDirectoryProblem(config: ResolvedConfig, sources: readonly ConfigSource[]): ConfigProblem | undefined {
  try {
    ensureWritableDirectory(config.service.dataDir);
    return undefined;
  } catch (error) {
    const detail = error instanceof DirectoryError ? `${error.path}: ${error.detail}` : String(error);
    return { ...positionOf(DATA_DIR_PATH, sources), path: DATA_DIR_PATH.join('.'), message: `cannot use the data directory ${detail}` };
  }
}

/** Where a setting was written, in the merged files (the last file that sets it wins). */
function positionOf(path: readonly string[], sources: readonly ConfigSource[]): Pick<ConfigProblem, 'file' | 'line' | 'column'> {
  const roots: LocatedNode[] = [];
  for (const source of sources) {
    const parsed = parseYamlSource(source.name, source.text);
    if (parsed.ok) roots.push(parsed.root);
  }
  if (roots.length === 0) return {};
  const position = new ConfigTree(roots.reduce((base, overlay) => mergeNodes(base, overlay))).locate(path, 'value');
  return position === undefined ? {} : { file: position.file, line: position.line, column: position.column };
}

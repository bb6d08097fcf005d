import type { ConfigProblem, ResolvedConfig } from '../config/index.js';
import { DirectoryError } from '../io/ensure-directory.js';
import { ensureWritableDirectory } from '../io/writable-directory.js';

/**
 * Creates (or opens) `service.data_dir` and proves a file can be written there, as the store
 * will; a failure is a problem at `service.data_dir` in the files, so `validate` reports it
 * and `run` stops before starting anything.
 */
export function dataDirectoryProblem(config: ResolvedConfig): ConfigProblem | undefined {
  try {
    ensureWritableDirectory(config.service.dataDir);
    return undefined;
  } catch (error) {
    const detail = error instanceof DirectoryError ? `${error.path}: ${error.detail}` : String(error);
    const position = config.service.dataDirPosition;
    return {
      ...(position === undefined ? {} : { file: position.file, line: position.line, column: position.column }),
      path: 'service.data_dir',
      message: `cannot use the data directory ${detail}`,
    };
  }
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding healthpipe's package.json, found by walking up from this file, so the
 * same code works from `src/` (tests) and from `dist/src/` (the installed bin).
 */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('healthpipe: package.json not found above the running code');
    folder = parent;
  }
  return folder;
}

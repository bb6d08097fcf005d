import { spawnSync } from 'node:child_process';
import { componentsScript, repoRoot } from '../helpers/components.js';

/**
 * Vitest globalSetup: fetches the Debian programs the component tests run, once per test
 * run (fast when cached). A failure stops the run with the script's message instead of
 * letting component tests skip. Vitest requires this module's default export.
 */
export default async function setup(): Promise<void> {
  const result = spawnSync('bash', [componentsScript], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw new Error(`cannot run ${componentsScript}: ${result.error.message}`);
  if (result.status !== 0) {
    const message = result.stderr.trim() || `exit status ${result.status ?? result.signal}`;
    throw new Error(`scripts/test-components.sh failed, so the component tests cannot run:\n${message}`);
  }
  // Warnings of a run that succeeded still deserve to be seen.
  if (result.stderr) process.stderr.write(result.stderr);
}

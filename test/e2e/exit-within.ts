import type { CliRun } from '../helpers/cli.js';

/** The exit code, or 'still running' (and the process killed) when it has not exited within `ms`. */
export async function exitWithin(cli: CliRun, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
  const outcome = await Promise.race([cli.exited, late]);
  clearTimeout(timer);
  if (outcome === 'still running') cli.child.kill('SIGKILL');
  return outcome;
}

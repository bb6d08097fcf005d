import { formatProblem } from '../config/index.js';
import { loadWithBuiltins } from '../runtime/runtime.js';

/** `healthpipe validate`: every problem at once, with file, line, column and key path. */
export async function validateCommand(files: string[]): Promise<number> {
  const { result, selfTelemetry } = await loadWithBuiltins(files);
  await selfTelemetry.shutdown();
  if (!result.ok) {
    const count = result.problems.length;
    process.stderr.write(`${result.problems.map(formatProblem).join('\n')}\n`);
    process.stderr.write(`${files.join(', ')}: ${count} problem${count === 1 ? '' : 's'}\n`);
    return 2;
  }
  const { config } = result;
  process.stdout.write(
    `${files.join(', ')}: valid (${config.pipelines.length} pipelines, ${config.receivers.size} receivers, ` +
      `${config.processors.size} processors, ${config.exporters.size} exporters)\n`,
  );
  return 0;
}

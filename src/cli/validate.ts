import { formatProblem } from '../config/index.js';
import { loadWithBuiltins } from '../runtime/runtime.js';

/** `healthpipe validate`: every problem at once, with file, line, column and key path. */
export async function validateCommand(files: string[]): Promise<number> {
  const { result, selfTelemetry } = await loadWithBuiltins(files);
  await selfTelemetry.shutdown();
  if (!result.ok) {
    const count = result.problems.length;
    process.stderr.write(`${result.problems.map(formatProblem).join('\n')}\n`);
    process.stderr.write(`${files.join(', ')}: ${plural(count, 'problem')}\n`);
    return 2;
  }
  const { config } = result;
  const counts = [
    plural(config.pipelines.length, 'pipeline'),
    plural(config.receivers.size, 'receiver'),
    plural(config.processors.size, 'processor'),
    plural(config.exporters.size, 'exporter'),
  ];
  process.stdout.write(`${files.join(', ')}: valid (${counts.join(', ')})\n`);
  return 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

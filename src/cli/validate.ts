import { loadWithBuiltins } from '../runtime/runtime.js';
import { plural, printProblems } from './problems.js';

/** `healthpipe validate`: every problem at once, with file, line, column and key path. */
export async function validateCommand(files: string[]): Promise<number> {
  const { result, selfTelemetry } = await loadWithBuiltins(files);
  await selfTelemetry.shutdown();
  if (!result.ok) {
    printProblems(files, result.problems);
    return 2;
  }
  const { config } = result;
  const counts = [
    plural(config.pipelines.length, 'pipeline'),
    plural(config.receivers.size, 'receiver'),
    plural(config.processors.size, 'processor'),
    plural(config.exporters.size, 'exporter'),
    ...(config.extensions.size === 0 ? [] : [plural(config.extensions.size, 'extension')]),
  ];
  process.stdout.write(`${files.join(', ')}: valid (${counts.join(', ')})\n`);
  return 0;
}

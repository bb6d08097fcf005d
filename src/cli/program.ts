import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { HealthpipeError, type ErrorCode } from '../errors.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import { componentsCommand, docsCommand } from './components.js';
import { chooseRunConfig, DEFAULT_CONFIG } from './config-choice.js';
import { rejectStrayWords } from './stray-word.js';
import { statusCommand } from './status.js';
import { historyCommand } from './history.js';
import { HISTORY_DEFAULTS, type HistoryOptions } from './history-options.js';
import { HISTORY_AGGREGATES } from '../history/reader.js';
/** Errors in what the user wrote exit 2, like `validate`; anything else exits 1. */
const CONFIGURATION_ERRORS = new Set<ErrorCode>(['CONFIG_INVALID', 'CONFIG_READ', 'PLUGIN_LOAD', 'PLUGIN_INVALID']);

function packageVersion(): string {
  const text = readFileSync(join(packageRoot(), 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The repeatable `--config` option of `run` and `validate`, and the action that takes the files as given (undefined: none). */
function withConfigFiles(command: Command, help: string, action: (files: string[] | undefined) => Promise<void>): Command {
  return command
    .option('-c, --config <file>', `configuration file; repeat to merge several (default: ${help})`, collect)
    .action((options: { config?: string[] }) => action(options.config));
}

/** Builds and runs the command line; resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('healthpipe')
    .description('A service-health monitoring pipeline: receivers → processors → exporters, wired by pipeline.yaml')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .showHelpAfterError();

  const run = program
    .command('run', { isDefault: true })
    .description('run the pipelines of the configuration until SIGINT/SIGTERM (SIGHUP reloads)')
    // Any word reaches the default command; rejectStrayWords says what it is.
    .allowExcessArguments();
  withConfigFiles(run, `${DEFAULT_CONFIG} here, else the embedded default`, async (files) => {
    rejectStrayWords(program, run);
    exitCode = await runCommand(chooseRunConfig(files));
  });

  withConfigFiles(
    program
      .command('validate')
      .description('check the configuration without running it: exit 0 when valid, 2 with every problem listed'),
    DEFAULT_CONFIG,
    async (files) => {
      exitCode = await validateCommand(files ?? [DEFAULT_CONFIG]);
    },
  );

  program
    .command('status')
    .description("each service's level, check, error rate, response time, CPU, memory, connections and firing alerts, read from the store")
    .option('-c, --config <file>', `the agent's configuration, for its data_dir; repeat to merge several (default: ${DEFAULT_CONFIG} here, else the embedded default)`, collect)
    .option('--json', 'one JSON object instead of the table')
    .action(async (options: { config?: string[]; json?: boolean }) => {
      exitCode = await statusCommand(chooseRunConfig(options.config), options.json === true);
    });

  program
    .command('history')
    .description('one metric of one service over a range, one aggregate per step, read from the store')
    .argument('<service>', 'the service, as `status` lists it')
    .argument('<metric>', 'the metric, such as healthcheck.duration or process.cpu.utilization')
    .option('-c, --config <file>', `the agent's configuration, for its data_dir; repeat to merge several (default: ${DEFAULT_CONFIG} here, else the embedded default)`, collect)
    .option('--since <duration>', 'how far back from now', HISTORY_DEFAULTS.since)
    .option('--step <duration>', 'the width of one step', HISTORY_DEFAULTS.step)
    .option('--agg <aggregate>', `the aggregate per step: ${HISTORY_AGGREGATES.join(', ')}`, HISTORY_DEFAULTS.agg)
    .option('-a, --attribute <key=value>', 'only series whose attributes hold this value; repeat for several', collect)
    .option('--json', 'one JSON object instead of the table')
    .action(async (service: string, metric: string, options: HistoryOptions & { config?: string[]; json?: boolean }) => {
      exitCode = await historyCommand(chooseRunConfig(options.config), service, metric, options);
    });

  program
    .command('components')
    .description('list every component type and the service settings with their options (generated from the schemas)')
    .option('-c, --config <file>', "also list the components of the plugins this configuration names; repeat for several", collect)
    .action(async (options: { config?: string[] }) => {
      exitCode = await componentsCommand(options.config ?? []);
    });

  program
    .command('docs', { hidden: true })
    .description("rewrite the option tables of the components' README files from their schemas")
    .option('--check', 'exit 1 when a README is out of date instead of writing it')
    .action((options: { check?: boolean }) => {
      exitCode = docsCommand(options.check === true);
    });

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof HealthpipeError) {
      process.stderr.write(`healthpipe: ${error.message} [${error.code}]\n`);
      return CONFIGURATION_ERRORS.has(error.code) ? 2 : 1;
    }
    throw error;
  }
}

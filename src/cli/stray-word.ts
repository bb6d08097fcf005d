import type { Command } from 'commander';
import { closestMatch } from '../config/suggest.js';

/**
 * `run` is the default command, so commander hands it any word it does not know:
 * `healthpipe valdate` would say "too many arguments for 'run'". Called from `run`'s
 * action, this turns such a word into the error the user needs: an unknown command with
 * commander's suggestion, or a command written after the options. Exits through
 * `program.error` (code 2 under exitOverride).
 */
export function rejectStrayWords(program: Command, run: Command): void {
  const [word] = run.args;
  if (word === undefined) return;
  if (program.args[0] === run.name()) {
    run.error(`error: too many arguments for '${run.name()}': '${word}'`, { code: 'commander.excessArguments', exitCode: 2 });
  }
  const commands = program
    .createHelp()
    .visibleCommands(program)
    .map((command) => command.name());
  if (commands.includes(word)) {
    program.error(`error: the command comes first: healthpipe ${word} [options]`, { code: 'commander.unknownCommand', exitCode: 2 });
  }
  const suggestion = closestMatch(word, commands);
  program.error(`error: unknown command '${word}'${suggestion === undefined ? '' : `\n(Did you mean ${suggestion}?)`}`, {
    code: 'commander.unknownCommand',
    exitCode: 2,
  });
}

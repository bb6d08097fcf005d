import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The agent's own code: frames there are where the loader called the plugin, not where it failed. */
const AGENT_CODE = new URL('../', import.meta.url).href;

/**
 * Why a plugin's import failed, led by the file and line where that is known:
 * `/etc/healthpipe/plugins/x.js:3: SyntaxError: Unexpected token '}'`.
 */
export function describeLoadFailure(error: unknown, pluginFile: string | undefined): string {
  if (!(error instanceof Error)) return String(error);
  const summary = `${error.name}: ${error.message}`;
  const located = locationInStack(String(error.stack ?? ''));
  if (located !== undefined) return `${located}: ${summary}`;
  if (error.name !== 'SyntaxError' || pluginFile === undefined) return error.message;
  // Node 20 keeps a compile error's position to itself (no file or line in the message or
  // the stack); parsing the plugin's source again as a module finds the line.
  const line = syntaxErrorLine(pluginFile);
  return line === undefined ? `${summary} (in a module that ${pluginFile} imports)` : `${pluginFile}:${line}: ${summary}`;
}

/**
 * `file:line` from a stack: the header Node writes above an error it can point at
 * (`file:///x.js:1` then the source line), or else the first frame in the user's code — not
 * Node's, not the agent's, not a dependency's.
 */
export function locationInStack(stack: string): string | undefined {
  const lines = stack.split('\n');
  const header = /^(file:\/\/\S+|\/\S+):(\d+)$/.exec(lines[0] ?? '');
  if (header !== null) return `${pathOf(header[1]!)}:${header[2]}`;
  for (const line of lines) {
    const frame = /^\s+at (?:.*?\()?(file:\/\/[^\s()]+|\/[^\s():]+):(\d+):\d+\)?$/.exec(line);
    if (frame === null) continue;
    const file = frame[1]!;
    const url = file.startsWith('file:') ? file : `file://${file}`;
    if (url.startsWith(AGENT_CODE) || url.includes('/node_modules/')) continue;
    return `${pathOf(file)}:${frame[2]}`;
  }
  return undefined;
}

function pathOf(file: string): string {
  return file.startsWith('file:') ? fileURLToPath(file) : file;
}

/** The line of the first syntax error in a module's source; undefined when it parses. */
function syntaxErrorLine(file: string): number | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], {
    input: source,
    encoding: 'utf8',
    timeout: 10_000,
  });
  const line = /^\[stdin\]:(\d+)$/m.exec(check.stderr ?? '')?.[1];
  return line === undefined ? undefined : Number(line);
}

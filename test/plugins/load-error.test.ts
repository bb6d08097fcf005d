import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeLoadFailure, locationInStack } from '../../src/plugins/load-error.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-load-error-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An error as Node 20's import() hands it over: the message, and the stack as given. */
function nodeError(name: string, message: string, stack: string): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = stack;
  return error;
}

describe('where a plugin failed to load', () => {
  it("finds the line of a syntax error that Node's error does not carry", () => {
    const file = join(dir, 'bad.js');
    writeFileSync(file, 'export const apiVersion = 1;\nexport function f() {\n  return 1 }\n}\n');
    // Exactly what Node 20 gives for a module that does not compile: no file, no line.
    const error = nodeError(
      'SyntaxError',
      "Unexpected token '}'",
      "SyntaxError: Unexpected token '}'\n    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)\n    at async ModuleJob._link (node:internal/modules/esm/module_job:148:19)",
    );
    expect(describeLoadFailure(error, file)).toBe(`${file}:4: SyntaxError: Unexpected token '}'`);
  });

  it('says the syntax error is in an imported module when the plugin itself parses', () => {
    const file = join(dir, 'fine.js');
    writeFileSync(file, "import './bad.js';\nexport const apiVersion = 1;\n");
    const error = nodeError('SyntaxError', "Unexpected token '}'", "SyntaxError: Unexpected token '}'\n    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)");
    expect(describeLoadFailure(error, file)).toBe(`SyntaxError: Unexpected token '}' (in a module that ${file} imports)`);
  });

  it('takes the position Node writes above an error it can point at', () => {
    const stack = `file:///etc/healthpipe/plugins/x.js:1\nimport { nope } from "healthpipe";\n         ^^^^\nSyntaxError: The requested module 'healthpipe' does not provide an export named 'nope'\n    at ModuleJob._instantiate (node:internal/modules/esm/module_job:213:21)`;
    expect(locationInStack(stack)).toBe('/etc/healthpipe/plugins/x.js:1');
  });

  it("takes a throwing statement's line from the first frame in the user's code", () => {
    const agent = new URL('../../src/plugins/loader.ts', import.meta.url).href;
    const stack = [
      'Error: boom at top',
      '    at validate (file:///etc/healthpipe/node_modules/zod/index.js:10:3)',
      '    at file:///etc/healthpipe/plugins/x.js:3:7',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)',
      `    at async loadPlugins (${agent}:52:24)`,
    ].join('\n');
    expect(locationInStack(stack)).toBe('/etc/healthpipe/plugins/x.js:3');
    expect(describeLoadFailure(nodeError('Error', 'boom at top', stack), '/etc/healthpipe/plugins/x.js')).toBe(
      '/etc/healthpipe/plugins/x.js:3: Error: boom at top',
    );
  });

  it('keeps the message alone when nothing says where', () => {
    const error = nodeError(
      'Error',
      "Cannot find module '/x/missing.js' imported from /x/plugin.js",
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/x/missing.js' imported from /x/plugin.js\n    at finalizeResolution (node:internal/modules/esm/resolve:283:11)",
    );
    expect(describeLoadFailure(error, '/x/plugin.js')).toBe("Cannot find module '/x/missing.js' imported from /x/plugin.js");
  });
});

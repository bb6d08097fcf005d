import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { parseJsonLine, runCliSync, startCli } from '../helpers/cli.js';

// A fresh directory outside the repository, with no node_modules around it: where an
// operator puts plugins (/etc/healthpipe/plugins) and a configuration of their own.
const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-anywhere-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

// The agent's own copies, by file URL: what 'healthpipe' and 'rxjs' must resolve to.
const AGENT_API = JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'index.js')).href);
const AGENT_RXJS = JSON.stringify(pathToFileURL(join(packageRoot(), 'node_modules', 'rxjs', 'dist', 'cjs', 'index.js')).href);

// The README's plugin, plus a report of which copies it got, as attributes of its point.
const queueDepth = write(
  'plugins/queue-depth.js',
  `import { defineReceiver, duration, z, Resource, SeriesSet } from 'healthpipe';
import { asyncScheduler, Observable, map, timer } from 'rxjs';
import { filter } from 'rxjs/operators';
import * as agentApi from ${AGENT_API};
import agentRxjs from ${AGENT_RXJS};

export const apiVersion = 1;
export const components = [
  defineReceiver({
    type: 'queue_depth',
    description: 'Depth of the work queue, read every interval',
    schema: z.strictObject({ collection_interval: duration().prefault('15s') }),
    create(config, context) {
      const depth$ = timer(0, config.collection_interval, context.scheduler).pipe(filter(() => true));
      const copies = {
        same_api: String(defineReceiver === agentApi.defineReceiver),
        same_rxjs: String(Observable === agentRxjs.Observable && depth$ instanceof agentRxjs.Observable),
        same_scheduler: String(context.scheduler === asyncScheduler),
      };
      const series = new SeriesSet(new Resource({ 'service.name': 'worker' })).get({ name: 'queue.depth', unit: '{item}', kind: 'gauge' }, copies);
      return depth$.pipe(map(() => [{ series, value: 7, time: context.scheduler.now() }]));
    },
  }),
];
`,
);

// A package plugin installed beside the configuration, carrying its own (other) rxjs.
write('node_modules/healthpipe-plugin-foo/package.json', JSON.stringify({ name: 'healthpipe-plugin-foo', type: 'module', exports: { '.': { import: './lib/index.js' } } }));
write('node_modules/healthpipe-plugin-foo/node_modules/rxjs/package.json', JSON.stringify({ name: 'rxjs', type: 'module', exports: './index.js' }));
write('node_modules/healthpipe-plugin-foo/node_modules/rxjs/index.js', "export const Observable = 'its own copy';\n");
write(
  'node_modules/healthpipe-plugin-foo/lib/index.js',
  `import { defineExporter, z } from 'healthpipe';
import { Observable } from 'rxjs';
export const apiVersion = 1;
export const components = [
  defineExporter({
    type: 'foo',
    description: 'a packaged exporter; its rxjs Observable is a ' + typeof Observable,
    signals: ['metrics'],
    schema: z.strictObject({ greeting: z.string().default('hello') }),
    create: () => ({ consume() {}, async flush() {}, async shutdown() {} }),
  }),
];
`,
);

const packaged = write(
  'etc/healthpipe/pipeline.yaml',
  `plugins: [healthpipe-plugin-foo]
receivers:
  internal: {}
exporters:
  foo: {}
service:
  pipelines:
    metrics: { receivers: [internal], exporters: [foo] }
`,
);

/** A configuration to `run`: its one receiver (`type: options`) printed as JSON lines. */
function runConfig(name: string, plugins: string[], receiver: string): string {
  const type = receiver.slice(0, receiver.indexOf(':'));
  return write(
    `etc/healthpipe/${name}.yaml`,
    `plugins: [${plugins.join(', ')}]
receivers:
  ${receiver}
exporters:
  console: { format: json }
service:
  data_dir: ${JSON.stringify(join(dir, `data-${name}`))}
  pipelines:
    metrics: { receivers: [${type}], exporters: [console] }
`,
  );
}

function pluginConfig(name: string, plugin: string): string {
  return write(`etc/healthpipe/${name}.yaml`, `plugins: [${JSON.stringify(plugin)}]\n`);
}

describe('a plugin outside the repository', () => {
  it("imports 'healthpipe' and 'rxjs' without an install and gets the agent's own copies", async () => {
    const config = runConfig('anywhere', [queueDepth], 'queue_depth: { collection_interval: 100ms }');
    const cli = startCli(['run', '--config', config], { cwd: dir });
    const line = await cli.waitForLine('stdout', (text) => parseJsonLine(text)?.name === 'queue.depth');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(parseJsonLine(line)).toMatchObject({
      value: 7,
      attributes: { same_api: 'true', same_rxjs: 'true', same_scheduler: 'true' },
      resource: { 'service.name': 'worker' },
    });
  });

  it("resolves a package plugin from the configuration's directory, with the agent's rxjs", () => {
    const validated = runCliSync(['validate', '--config', packaged], { cwd: tmpdir() });
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    const listed = runCliSync(['components', '--config', packaged], { cwd: tmpdir() });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("  foo — a packaged exporter; its rxjs Observable is a function\n    Accepts: metrics.\n    greeting (string, default hello)\n");
  });

  it('names the directory a missing package plugin was looked for from', () => {
    const result = runCliSync(['validate', '--config', pluginConfig('missing', 'healthpipe-plugin-absent')], { cwd: tmpdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`plugin healthpipe-plugin-absent could not be found: Cannot find package 'healthpipe-plugin-absent' imported from ${join(dir, 'etc', 'healthpipe')}/`);
  });
});

describe("the README's plugin", () => {
  it('loads from a directory outside the repository, named by absolute path', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Writing a plugin'));
    const code = /```js\n\/\/ (\S+)\n([\s\S]*?)```/.exec(section);
    expect(code?.[1]).toBe('/etc/healthpipe/plugins/queue-depth.js');
    const plugin = write('readme/plugins/queue-depth.js', code![2]!);
    const result = runCliSync(['components', '--config', pluginConfig('readme', plugin)]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('  queue_depth — Depth of the work queue, read every interval\n');
  });
});

describe('healthpipe components', () => {
  it("lists the plugins' components with --config, the built-ins alone without", () => {
    const config = pluginConfig('listed', queueDepth);
    const withPlugins = runCliSync(['components', '--config', config]);
    expect(withPlugins.code).toBe(0);
    expect(withPlugins.stdout).toContain('  queue_depth — Depth of the work queue, read every interval\n    collection_interval (duration, default 15s)\n');
    expect(withPlugins.stdout).toContain('  console — ');
    const builtinsOnly = runCliSync(['components'], { cwd: dir });
    expect(builtinsOnly.code).toBe(0);
    expect(builtinsOnly.stdout).not.toContain('queue_depth');
  });

  it('documents the service settings too', () => {
    const result = runCliSync(['components']);
    expect(result.stdout).toMatch(/\nservice:\n/);
    for (const setting of ['data_dir', 'telemetry.logs.level', 'telemetry.metrics.interval', 'shutdown_timeout', 'exporter_queue_size', 'extensions', 'pipelines.<id>.receivers']) {
      expect(result.stdout).toContain(`\n    ${setting} (`);
    }
  });
});

describe('a plugin that cannot be loaded', () => {
  it('names the file and line of a syntax error', () => {
    const plugin = write('plugins/syntax.js', 'export const apiVersion = 1;\nexport function f() {\n  return 1 }\n}\n');
    const result = runCliSync(['validate', '--config', pluginConfig('syntax', plugin)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`healthpipe: plugin ${plugin} could not be loaded: ${plugin}:4: SyntaxError: Unexpected token '}' [PLUGIN_LOAD]\n`);
  });

  it('names the file and line of a top-level statement that throws', () => {
    const plugin = write('plugins/throws.js', "import { z } from 'healthpipe';\nexport const apiVersion = 1;\nz.string().parse(42);\n");
    const result = runCliSync(['validate', '--config', pluginConfig('throws', plugin)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`healthpipe: plugin ${plugin} could not be loaded: ${plugin}:3: ZodError: `);
  });

  it('names the file and line of an import the agent does not provide', () => {
    const plugin = write('plugins/no-export.js', "import { defineNothing } from 'healthpipe';\nexport const apiVersion = 1;\n");
    const result = runCliSync(['validate', '--config', pluginConfig('no-export', plugin)]);
    expect(result.stderr).toContain(
      `${plugin}:1: SyntaxError: The requested module 'healthpipe' does not provide an export named 'defineNothing'`,
    );
  });
});

describe('a reload that adds a plugin', () => {
  it('says on SIGHUP that plugins load at start, and keeps running', async () => {
    const receiver = 'process: { collection_interval: 100ms, targets: [{ service: alive, self: true }] }';
    const config = runConfig('reload', [], receiver);
    const cli = startCli(['run', '--config', config], { cwd: dir });
    // A point, not the start line: the CLI wires SIGHUP only once the start has returned.
    await cli.waitForLine('stdout', (line) => parseJsonLine(line)?.name !== undefined);
    runConfig('reload', [queueDepth], receiver);
    cli.child.kill('SIGHUP');
    const warning = await cli.waitForLine('stderr', (line) => line.includes('plugins: changed'));
    expect(parseJsonLine(warning)?.message).toBe(`plugins: changed; plugins load at start: restart healthpipe to load ${queueDepth}`);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});

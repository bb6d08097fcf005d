import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ComponentRegistry } from '../../src/component/registry.js';
import { HealthpipeError } from '../../src/errors.js';
import { loadPlugins } from '../../src/plugins/loader.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-plugins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API = pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href;

function plugin(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

async function loadError(path: string): Promise<HealthpipeError> {
  const error = await loadPlugins([path], new ComponentRegistry()).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(HealthpipeError);
  return error as HealthpipeError;
}

describe('plugins', () => {
  it('registers the components of a plugin built with the public helpers', async () => {
    const path = plugin(
      'good.mjs',
      `import { defineReceiver, z } from ${JSON.stringify(API)};
       export const apiVersion = 1;
       export const components = [defineReceiver({ type: 'mine', description: 'a plugin receiver', schema: z.strictObject({}), create: () => { throw new Error('not called here'); } })];`,
    );
    const registry = new ComponentRegistry();
    await loadPlugins([path], registry);
    expect(registry.get('receiver', 'mine')?.description).toBe('a plugin receiver');
  });

  it('registers an extension built with defineExtension', async () => {
    const path = plugin(
      'extension.mjs',
      `import { defineExtension, z } from ${JSON.stringify(API)};
       export const apiVersion = 1;
       export const components = [defineExtension({ type: 'status_page', description: 'a plugin extension', schema: z.strictObject({}), create: () => ({ async start() {}, async shutdown() {} }) })];`,
    );
    const registry = new ComponentRegistry();
    await loadPlugins([path], registry);
    expect(registry.get('extension', 'status_page')?.description).toBe('a plugin extension');
    expect(registry.types('extension')).toEqual(['status_page']);
  });

  it('names the plugin when it cannot be imported', async () => {
    const error = await loadError(plugin('broken.mjs', 'export const = ;'));
    expect(error.code).toBe('PLUGIN_LOAD');
    expect(error.message).toContain('broken.mjs');
  });

  it('refuses a plugin written for another plugin API', async () => {
    const error = await loadError(plugin('old.mjs', 'export const apiVersion = 0; export const components = [];'));
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toMatch(/API 0.*serves API 1/);
  });

  it('refuses a component that was not built with the define helpers', async () => {
    const error = await loadError(
      plugin('bad.mjs', "export const apiVersion = 1; export const components = [{ type: 'x', create() {} }];"),
    );
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('component "x" has no kind: build it with defineReceiver/defineProcessor/defineExporter/defineExtension');
    expect(error.message).toContain('has no zod schema');
  });

  it('refuses a plugin type that clashes with one already registered', async () => {
    const body = `import { defineExporter, z } from ${JSON.stringify(API)};
      export const apiVersion = 1;
      export const components = [defineExporter({ type: 'twice', description: 'd', signals: ['metrics'], schema: z.strictObject({}), create: () => ({ consume() {}, async flush() {}, async shutdown() {} }) })];`;
    const registry = new ComponentRegistry();
    await loadPlugins([plugin('a.mjs', body)], registry);
    const error = await loadPlugins([plugin('b.mjs', body)], registry).catch((caught: unknown) => caught);
    expect((error as HealthpipeError).code).toBe('PLUGIN_INVALID');
    expect((error as Error).message).toContain('already registered');
  });
});

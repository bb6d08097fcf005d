import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger, LogLevel } from '../../src/component/logger.js';
import { Runtime } from '../../src/runtime/runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-plugin-reload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function memoryLogger(lines: string[]): Logger {
  const log = (level: LogLevel) => (message: string) => void lines.push(`${level}: ${message}`);
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    once: (_key, level, message) => log(level)(message),
    child: () => logger,
  };
  return logger;
}

writeFileSync(join(dir, 'kept.mjs'), 'export const apiVersion = 1;\nexport const components = [];\n');
// `added.mjs` is never read: plugins are loaded at start only.

function writeConfig(plugins: string[], receiver: string): string {
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `plugins: [${plugins.join(', ')}]
receivers:
  ${receiver}: {}
exporters:
  console: { format: json }
service:
  data_dir: ${JSON.stringify(join(dir, 'data'))}
  pipelines:
    metrics: { receivers: [${receiver}], exporters: [console] }
`,
  );
  return file;
}

describe('a reload that changes the plugins', () => {
  it('says that plugins load at start, naming the plugin to restart for', async () => {
    const lines: string[] = [];
    const file = writeConfig(['./kept.mjs'], 'internal');
    // Virtual time that never advances: nothing is collected or printed.
    const runtime = await Runtime.start({ files: [file], scheduler: new VirtualTimeScheduler(), logger: memoryLogger(lines) });
    try {
      writeConfig(['./kept.mjs', './added.mjs'], 'added_type');
      expect((await runtime.reload()).ok).toBe(false);
      expect(lines).toContain(
        `warn: plugins: changed; plugins load at start: restart healthpipe to load ${join(dir, 'added.mjs')}`,
      );

      lines.length = 0;
      writeConfig([], 'internal');
      expect((await runtime.reload()).ok).toBe(true);
      expect(lines).toContain(`warn: plugins: changed; plugins load at start: restart healthpipe to unload ${join(dir, 'kept.mjs')}`);

      // The plugins running are still those of the start: the same change is reported again.
      lines.length = 0;
      expect((await runtime.reload()).ok).toBe(true);
      expect(lines.filter((line) => line.includes('plugins: changed'))).toHaveLength(1);

      lines.length = 0;
      writeConfig(['./kept.mjs'], 'internal');
      expect((await runtime.reload()).ok).toBe(true);
      expect(lines.filter((line) => line.includes('plugins'))).toEqual([]);
    } finally {
      await runtime.stop();
    }
  });
});

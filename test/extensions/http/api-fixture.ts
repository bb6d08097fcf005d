import { request } from 'node:http';
import { httpConfigSchema } from '../../../extensions/http/config.js';
import { httpExtension } from '../../../extensions/http/index.js';
import type { Extension, ExtensionContext, HistoryReader } from '../../../src/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { freePort } from '../../helpers/server-process.js';

export interface RunningApi {
  readonly base: string;
  readonly port: number;
  readonly context: TestContext;
  readonly extension: Extension;
  stop(): Promise<void>;
}

const running = new Set<RunningApi>();

/** The extension made by its factory, as the runtime makes it, on a free 127.0.0.1 port. */
export async function startApi(history: HistoryReader, config: Record<string, unknown> = {}): Promise<RunningApi> {
  const port = await freePort();
  const context = createTestContext({ id: 'http' });
  const extensionContext: ExtensionContext = { ...context, components: context.statuses, history };
  const extension = httpExtension.create(httpConfigSchema.parse({ endpoint: `127.0.0.1:${port}`, ...config }), extensionContext);
  await extension.start();
  const api: RunningApi = {
    base: `http://127.0.0.1:${port}`,
    port,
    context,
    extension,
    async stop() {
      running.delete(api);
      await extension.shutdown();
      context.store.close();
    },
  };
  running.add(api);
  return api;
}

export async function stopAllApis(): Promise<void> {
  await Promise.all([...running].map((api) => api.stop()));
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One request with node:http (fetch would hide a HEAD body and some headers). */
export function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

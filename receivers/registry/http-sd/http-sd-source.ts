import { defer, exhaustMap, finalize, from, timer, type Observable } from 'rxjs';
import { redactedUrl } from '../../../src/index.js';
import type { SourceContext } from '../sources.js';
import type { RegistryEntry, RegistrySource, SourceUpdate } from '../source.js';
import type { HttpSdSourceConfig } from './config.js';
import { SdClient } from './sd-client.js';
import { targetEntries } from './target-groups.js';

/**
 * A Prometheus http_sd endpoint, asked every `refresh_interval` (a request still running
 * makes the next tick skip), with If-None-Match when it gave an ETag. A 200 is the whole set;
 * a 304 is the last set confirmed (heartbeats refreshed); a failure (refused, timeout,
 * non-2xx, not JSON, not a list of groups) is the registry down with the reason, and the
 * next answer is read in full.
 */
export class HttpSdSource implements RegistrySource {
  readonly description: string;

  constructor(
    private readonly config: HttpSdSourceConfig,
    private readonly context: SourceContext,
  ) {
    this.description = `http_sd ${redactedUrl(config.url)}`;
  }

  updates(): Observable<SourceUpdate> {
    return defer(() => {
      const client = new SdClient({
        url: this.config.url,
        headers: this.config.headers,
        timeoutMs: this.config.timeout,
        maxBytes: this.config.max_size,
        refreshSeconds: Math.round(this.config.refresh_interval / 1000),
      });
      let etag: string | undefined;
      let last: readonly RegistryEntry[] | undefined;
      const refresh = async (): Promise<SourceUpdate> => {
        try {
          const answer = await client.get(etag);
          const now = this.context.scheduler.now();
          if (answer.kind === 'not-modified') {
            if (last !== undefined) return { kind: 'set', entries: last.map((entry) => ({ ...entry, seenAt: now })) };
            etag = undefined;
            return { kind: 'down', reason: `${client.shownUrl} answered 304 Not Modified to a first request` };
          }
          const read = targetEntries(answer.body, client.shownUrl, now);
          if (!read.ok) {
            etag = undefined;
            return { kind: 'down', reason: `${client.shownUrl}: ${read.reason}` };
          }
          etag = answer.etag;
          last = read.entries;
          return { kind: 'set', entries: read.entries };
        } catch (error) {
          // The ETag stays: a server back with the same list answers 304, confirming the last set.
          return { kind: 'down', reason: error instanceof Error ? error.message : String(error) };
        }
      };
      return timer(0, this.config.refresh_interval, this.context.scheduler).pipe(
        exhaustMap(() => from(refresh())),
        finalize(() => client.close()),
      );
    });
  }
}

export function createHttpSdSource(config: HttpSdSourceConfig, context: SourceContext): RegistrySource {
  return new HttpSdSource(config, context);
}

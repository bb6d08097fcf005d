import type { Etcd3, IWatchResponse, Watcher } from 'etcd3';
import { timer, type Subscription } from 'rxjs';
import type { SourceUpdate } from '../source.js';
import type { SourceContext } from '../sources.js';
import type { EtcdSourceConfig } from './config.js';
import { etcdClient, FIRST_RETRY_MS } from './etcd-client.js';
import { PrefixMirror } from './prefix-mirror.js';

/**
 * One subscription's follow of a prefix: read it whole, then watch it from the next
 * revision. The client re-creates a broken watch by itself; this sets where it resumes (the
 * revision of the last event taken, as the Go client does), so an outage loses no event. A
 * watch etcd cancels (its start revision compacted away) is followed by a fresh read.
 * An outage is one `down`; the watch connected again is a fresh `set`.
 */
export class PrefixFollower {
  private readonly client: Etcd3;
  private readonly mirror: PrefixMirror;
  private watcher: Watcher | undefined;
  private retry: Subscription | undefined;
  private retryDelay = FIRST_RETRY_MS;
  private down = false;
  private closed = false;

  constructor(
    private readonly config: EtcdSourceConfig,
    private readonly context: SourceContext,
    private readonly emit: (update: SourceUpdate) => void,
  ) {
    this.client = etcdClient(config);
    this.mirror = new PrefixMirror(config.prefix);
  }

  start(): void {
    void this.readAndWatch();
  }

  /** Releases the watch, the retry timer and every connection. */
  close(): void {
    this.closed = true;
    this.retry?.unsubscribe();
    this.dropWatcher(true);
    this.client.close();
  }

  private async readAndWatch(): Promise<void> {
    try {
      const response = await this.client.getAll().prefix(this.config.prefix).exec();
      if (this.closed) return;
      this.mirror.load(response.kvs, BigInt(response.header.revision), this.context.scheduler.now());
      this.down = false;
      this.publish();
      this.watch();
    } catch (error) {
      if (this.closed) return;
      this.fail(error);
      this.retryLater();
    }
  }

  private watch(): void {
    // watcher() rather than create(): the listeners are on before the first response can arrive.
    const watcher = this.client.watch().prefix(this.config.prefix).startRevision(String(this.mirror.revision + 1n)).watcher();
    this.watcher = watcher;
    watcher.on('connected', () => this.connected(watcher));
    watcher.on('data', (response) => this.take(watcher, response));
    watcher.on('disconnected', (error) => this.fail(error));
    watcher.on('error', (error) => this.canceled(watcher, error));
  }

  private connected(watcher: Watcher): void {
    this.resumeAfterMirror(watcher);
    if (!this.down) return;
    this.down = false;
    this.publish();
  }

  private take(watcher: Watcher, response: IWatchResponse): void {
    this.retryDelay = FIRST_RETRY_MS;
    if (this.mirror.apply(response.events, this.context.scheduler.now())) this.publish();
    // A response without events is a progress notification: etcd has sent all up to its revision.
    else if (response.events.length === 0) this.mirror.reached(BigInt(response.header.revision));
    this.resumeAfterMirror(watcher);
  }

  /**
   * The client would resume at the response header's revision + 1; a created response's (or
   * a batch's) header may be ahead of events still to come, so it resumes after the last
   * event taken instead.
   */
  private resumeAfterMirror(watcher: Watcher): void {
    watcher.request.start_revision = String(this.mirror.revision + 1n);
  }

  private canceled(watcher: Watcher, error: Error): void {
    if (watcher !== this.watcher || this.closed) return;
    this.dropWatcher(false);
    this.context.logger.info(`the etcd watch of ${this.config.prefix} was canceled (${error.message}); reading the prefix again`);
    this.retryLater();
  }

  private fail(error: unknown): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.emit({ kind: 'down', reason: this.reasonOf(error) });
  }

  private retryLater(): void {
    this.retry?.unsubscribe();
    this.retry = timer(this.retryDelay, this.context.scheduler).subscribe(() => {
      this.retry = undefined;
      void this.readAndWatch();
    });
    this.retryDelay = Math.min(this.retryDelay * 2, this.config.max_retry_delay);
  }

  private publish(): void {
    this.emit({ kind: 'set', entries: this.mirror.entries() });
  }

  /**
   * A watch still attached is canceled on etcd; one etcd canceled already is only let go.
   * Either way it keeps a listener for `error`, which an EventEmitter would otherwise throw.
   */
  private dropWatcher(cancel: boolean): void {
    const watcher = this.watcher;
    this.watcher = undefined;
    if (watcher === undefined) return;
    watcher.removeAllListeners();
    watcher.on('error', () => undefined);
    if (cancel) void watcher.cancel().catch(() => undefined);
  }

  /** The error's message, never the password (etcd does not echo it; this makes sure). */
  private reasonOf(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const { password } = this.config;
    return password === undefined ? message : message.split(password).join('***');
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { interval, type Subscription } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import type { ComponentStatusReader, HistoryReader, Logger } from '../../src/index.js';
import { Refusal } from './answer.js';
import { alertRecord, componentRecord, serviceRecord } from './records.js';

export interface LiveUpdateOptions {
  readonly pollInterval: number;
  readonly heartbeatInterval: number;
  readonly maxStreams: number;
}

/** How long a browser waits before reconnecting a dropped stream. */
const RETRY_MS = 2000;
/** A client that reads slower than this much queued output is cut off rather than buffered for. */
const MAX_QUEUED_BYTES = 1024 * 1024;
/** Firing alerts a stream carries at most per update. */
const MAX_ALERTS = 200;

/**
 * `/api/events`: server-sent events for the status page. A stream starts with a `snapshot`
 * (services, firing alerts, components); then `services` or `alerts` (the whole new list)
 * when a poll of the store finds a level or the firing set changed, `component` for each
 * status change, and a comment line as heartbeat. The store is polled only while a stream
 * is open.
 */
export class LiveUpdates {
  private readonly streams = new Set<ServerResponse>();
  private polling: Subscription | undefined;
  private lastServices = '';
  private lastAlerts = '';
  private closed = false;

  constructor(
    private readonly history: HistoryReader,
    private readonly components: ComponentStatusReader,
    private readonly scheduler: SchedulerLike,
    private readonly options: LiveUpdateOptions,
    private readonly logger: Logger,
  ) {}

  get openStreams(): number {
    return this.streams.size;
  }

  open(request: IncomingMessage, response: ServerResponse): void {
    if (this.closed) throw new Refusal(503, 'the agent is stopping');
    if (this.streams.size >= this.options.maxStreams) {
      throw new Refusal(503, `too many live-update streams open (max_streams: ${this.options.maxStreams})`, { 'retry-after': '10' });
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    if (this.streams.size === 0) this.startPolling();
    this.streams.add(response);
    request.socket.setNoDelay(true);
    // The response closes when the client goes away (or close() ends it).
    response.once('close', () => this.forget(response));
    const services = this.servicesNow();
    const alerts = this.alertsNow();
    this.write(response, `retry: ${RETRY_MS}\n\n`);
    this.send(response, 'snapshot', { services: services.records, alerts: alerts.records, components: this.components.list().map(componentRecord) });
  }

  /** Ends every stream (the browser reconnects to whatever listens next) and stops polling. */
  close(): void {
    this.closed = true;
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    this.stopPolling();
  }

  private startPolling(): void {
    // What the first stream's snapshot holds is the baseline for the changes after it.
    this.lastServices = this.servicesNow().signature;
    this.lastAlerts = this.alertsNow().signature;
    const polling = interval(this.options.pollInterval, this.scheduler).subscribe(() => this.poll());
    polling.add(interval(this.options.heartbeatInterval, this.scheduler).subscribe(() => this.broadcast(': heartbeat\n\n')));
    polling.add(this.components.changes$.subscribe((status) => this.broadcast(event('component', componentRecord(status)))));
    this.polling = polling;
  }

  private stopPolling(): void {
    this.polling?.unsubscribe();
    this.polling = undefined;
  }

  private poll(): void {
    try {
      const services = this.servicesNow();
      if (services.signature !== this.lastServices) {
        this.lastServices = services.signature;
        this.broadcast(event('services', { services: services.records }));
      }
      const alerts = this.alertsNow();
      if (alerts.signature !== this.lastAlerts) {
        this.lastAlerts = alerts.signature;
        this.broadcast(event('alerts', { alerts: alerts.records }));
      }
    } catch (error) {
      this.logger.once('live_update_poll', 'warn', 'live updates could not read the store; retrying on the next poll', { error });
    }
  }

  private servicesNow() {
    const services = this.history.services();
    // A new point moves last_point every poll: only what a reader of the page sees counts as a change.
    const signature = JSON.stringify(services.map((service) => [service.service, service.level, service.levelSince, service.firing]));
    return { signature, records: services.map(serviceRecord) };
  }

  private alertsNow() {
    const alerts = this.history.alerts({ firing: true, limit: MAX_ALERTS });
    const signature = JSON.stringify(alerts.map((alert) => [alert.fingerprint, alert.level, alert.time]));
    return { signature, records: alerts.map(alertRecord) };
  }

  private send(stream: ServerResponse, name: string, data: unknown): void {
    this.write(stream, event(name, data));
  }

  private broadcast(text: string): void {
    for (const stream of this.streams) this.write(stream, text);
  }

  private write(stream: ServerResponse, text: string): void {
    if (stream.writableLength > MAX_QUEUED_BYTES) {
      this.logger.once('live_update_slow', 'warn', 'a live-update client reads too slowly: its stream is closed');
      stream.destroy();
      this.forget(stream);
      return;
    }
    stream.write(text);
  }

  private forget(stream: ServerResponse): void {
    if (!this.streams.delete(stream)) return;
    if (this.streams.size === 0) this.stopPolling();
  }
}

/** One event in the text/event-stream framing: JSON has no raw newline, so `data` is one line. */
function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

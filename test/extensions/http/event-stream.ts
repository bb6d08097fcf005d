import { get, type ClientRequest, type IncomingMessage } from 'node:http';

export interface StreamEvent {
  readonly event?: string;
  readonly data?: string;
  readonly retry?: string;
  /** The comment lines of the block (`: heartbeat`). */
  readonly comments: string[];
}

/**
 * A text/event-stream read as the HTML standard frames it: blocks separated by a blank line,
 * `field: value` lines, `:` comments. Keeps the raw text too, to check the framing itself.
 */
export class EventStreamClient {
  readonly blocks: StreamEvent[] = [];
  raw = '';
  ended = false;
  private pending = '';
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly response: IncomingMessage,
    private readonly request: ClientRequest,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.raw += chunk;
      this.pending += chunk;
      let end: number;
      while ((end = this.pending.indexOf('\n\n')) >= 0) {
        this.blocks.push(parseBlock(this.pending.slice(0, end)));
        this.pending = this.pending.slice(end + 2);
      }
      this.notify();
    });
    response.on('close', () => {
      this.ended = true;
      this.notify();
    });
  }

  static open(url: string): Promise<EventStreamClient> {
    return new Promise((resolve, reject) => {
      const request = get(url, { headers: { accept: 'text/event-stream' } }, (response) => resolve(new EventStreamClient(response, request)));
      request.on('error', reject);
    });
  }

  events(name: string): unknown[] {
    return this.blocks.filter((block) => block.event === name).map((block) => JSON.parse(block.data ?? 'null'));
  }

  /** Resolves once the condition holds; rejects after the timeout, naming what was received. */
  until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`condition not met within ${timeoutMs} ms; received: ${this.raw.slice(-2000)}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.request.destroy();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function parseBlock(text: string): StreamEvent {
  const block: { event?: string; data?: string; retry?: string; comments: string[] } = { comments: [] };
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) {
      block.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') block.data = block.data === undefined ? value : `${block.data}\n${value}`;
    else if (field === 'event' || field === 'retry') block[field] = value;
  }
  return block;
}

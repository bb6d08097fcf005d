import type { ComponentContext, EventBatch, Exporter, MetricBatch, Signal, SignalBatch } from '../../src/index.js';
import type { ConsoleConfig } from './config.js';
import { DEFAULT_WIDTH, MIN_WIDTH } from './fit.js';
import type { BatchFormat } from './format.js';
import { jsonLines } from './json.js';
import { measuredPointBytes } from './json-bytes.js';
import { table } from './table.js';

/**
 * Takes the whole text of one batch; a returned promise settles once the text is written.
 * A writer that can also take bytes has `bytes`: JSON lines of metrics then go as one Buffer
 * made without building the text (see json-bytes.ts), the same bytes the text would be.
 */
export type ConsoleWrite = ((text: string) => void | Promise<void>) & {
  readonly bytes?: (data: Uint8Array) => void | Promise<void>;
  /** Once a `bytes` write has settled nothing holds the buffer any more (the bytes went to a file descriptor), so it may be written into again. */
  readonly releasesBytes?: boolean;
};

/** Beyond this many unfinished writes, consume() hands back a promise so the pipeline waits. */
const MAX_PENDING_WRITES = 16;

const FORMATS: Record<ConsoleConfig['format'], BatchFormat> = { table, json: jsonLines };

/** Writes to a process stream; the promise settles when the stream has taken the text. */
export function streamWriter(stream: NodeJS.WritableStream): ConsoleWrite {
  const write = (data: string | Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      stream.write(data, (error) => (error ? reject(error) : resolve()));
    });
  return Object.assign((text: string) => write(text), { bytes: (data: Uint8Array) => write(data) });
}

function streamOf(output: ConsoleConfig['output']): NodeJS.WriteStream {
  return output === 'stderr' ? process.stderr : process.stdout;
}

export function defaultWriter(output: ConsoleConfig['output']): ConsoleWrite {
  // stdout and stderr write to a file descriptor: a settled write has handed its bytes to the kernel.
  return Object.assign(streamWriter(streamOf(output)), { releasesBytes: true });
}

/** The terminal's width now (it changes when the window is resized); undefined for a pipe or a file. */
export type TerminalColumns = () => number | undefined;

export function terminalColumns(output: ConsoleConfig['output']): TerminalColumns {
  const stream = streamOf(output);
  return () => (stream.isTTY ? stream.columns : undefined);
}

/**
 * The console exporter with its writer injectable (tests pass one that collects the text).
 * Each batch is formatted whole and written in one call, so batches from a pipeline never
 * interleave line by line with other output. A table's lines are cut to `width`, else to the
 * terminal's width, else to 120 characters.
 */
export function createConsoleExporter(
  config: ConsoleConfig,
  ctx: ComponentContext,
  write: ConsoleWrite = defaultWriter(config.output),
  columns: TerminalColumns = () => undefined,
): Exporter<Signal> {
  const format = FORMATS[config.format];
  const width = (): number => config.width ?? Math.max(MIN_WIDTH, columns() ?? DEFAULT_WIDTH);
  const pending = new Set<Promise<void>>();
  let shutDown = false;
  /** The buffer of the last JSON write once that write has completed: the next batch is written into it when it fits. */
  let spare: Buffer | undefined;

  const flush = async (): Promise<void> => {
    while (pending.size > 0) await Promise.all(pending);
  };

  const failed = (error: unknown, count: number): void => {
    ctx.telemetry.failed(count);
    ctx.logger.once('write-failed', 'error', `console exporter could not write to ${config.output}`, { error });
  };

  return {
    consume(batch: SignalBatch[Signal], signal: Signal): void | Promise<void> {
      const count = batch.length;
      if (count === 0) return;
      if (shutDown) {
        ctx.telemetry.dropped(count, { reason: 'shut_down', signal });
        return;
      }
      const bytes =
        signal === 'metrics' && config.format === 'json' && write.bytes !== undefined ? measuredPointBytes(batch as MetricBatch, spare) : undefined;
      if (bytes !== undefined && bytes.length > 0) spare = undefined;
      const text =
        bytes !== undefined ? '' : signal === 'metrics' ? format.metrics(batch as MetricBatch, width()) : format.alerts(batch as EventBatch, width());
      // A batch of staleness markers only, in JSON: nothing to write, nothing failed.
      if (text === '' && (bytes === undefined || bytes.length === 0)) {
        ctx.telemetry.sent(count);
        return;
      }
      let written: void | Promise<void>;
      try {
        written = bytes !== undefined ? write.bytes!(bytes) : write(text);
      } catch (error) {
        failed(error, count);
        return;
      }
      const settled: Promise<void> = Promise.resolve(written)
        .then(
          () => {
            ctx.telemetry.sent(count);
            // Written: the stream holds the buffer no longer.
            if (bytes !== undefined && write.releasesBytes === true && bytes.byteOffset === 0) spare = Buffer.from(bytes.buffer);
          },
          (error: unknown) => failed(error, count),
        )
        .finally(() => pending.delete(settled));
      pending.add(settled);
      // A stalled terminal or pipe then slows the pipeline instead of buffering without bound.
      return pending.size >= MAX_PENDING_WRITES ? settled : undefined;
    },

    flush,

    async shutdown(): Promise<void> {
      shutDown = true;
      await flush();
    },
  };
}

import { DeliveryQueue, MemoryAppendLog } from '../../src/index.js';
import type { ComponentContext, DeliveryReceipt, Exporter, MetricBatch } from '../../src/index.js';
import type { OtlpConfig } from './config.js';
import type { OtlpEncoder, OtlpEncoderOptions } from './encode/index.js';
import { OtlpHttpSender } from './http-sender.js';
import { RequestCoalescer } from './request-coalescer.js';
import { outgoingRequest, queuedRequest, queuedSize, storedSizeOf, type QueuedRequest } from './queued-request.js';
import { processEnvironment, resolveSettings, type EnvironmentSource, type OtlpProtocol } from './settings.js';

export interface OtlpExporterOptions {
  /** Where OTEL_EXPORTER_OTLP_* are read; `process.env` by default. */
  readonly env?: EnvironmentSource;
  /** The encoder of a protocol: encode/'s createOtlpEncoder; a test may wrap it. */
  readonly encoderFor: (protocol: OtlpProtocol, options: OtlpEncoderOptions) => OtlpEncoder;
}

/** The queue's name in self-telemetry: `healthpipe.exporter.queue_size{queue=delivery}`, in points. */
export const DELIVERY_QUEUE = 'delivery';

/** One queue item holds at most this share of the queue's bound (1/8), so the bound sheds the oldest in small steps. */
const COALESCED_SHARE = 8;

/** Requests to one send at most, joined into one body (bounded in bytes by max_request_size too). */
const MAX_JOINED = 1000;

/**
 * The `otlp` exporter: each consumed batch is encoded at once into one request (stale
 * markers left out), joined with the others of the same turn and queued; the delivery queue sends after a short linger, joining what
 * waits into requests of up to `max_request_size`, retries with backoff, drops the oldest
 * at its bound and, with `disk_queue`, keeps everything in the store until delivered.
 */
export function createOtlpExporter(config: OtlpConfig, ctx: ComponentContext, options: OtlpExporterOptions): Exporter<'metrics'> {
  const { scheduler, logger, telemetry } = ctx;
  const settings = resolveSettings(config, options.env ?? processEnvironment, (problem, variable) =>
    logger.warn(`${variable}: ${problem}`, { variable }),
  );
  // Points the protocol cannot carry (a histogram, a NaN) are dropped at encoding, counted by reason.
  const encoderOptions: OtlpEncoderOptions = { onSkipped: (reason, count) => telemetry.dropped(count, { reason }) };
  const encoderFor = (protocol: OtlpProtocol): OtlpEncoder => options.encoderFor(protocol, encoderOptions);
  const encoder = encoderFor(settings.protocol);
  const sender = new OtlpHttpSender(settings);
  // The first partial success is a warning; later ones (a receiver repeats itself) are debug.
  let partials = 0;
  const reportPartial = (rejected: number, message: string): void => {
    partials += 1;
    const level = partials === 1 ? 'warn' : 'debug';
    logger[level]('the OTLP receiver refused part of a request (counted failed, reason partial_success)', { rejected_points: rejected, message });
  };
  const send = sendJoined(sender, encoderFor, () => scheduler.now(), reportPartial);

  const queue = new DeliveryQueue<QueuedRequest>({
    ...(config.disk_queue ? { storage: ctx.storage, namespace: 'otlp' } : { log: new MemoryAppendLog((item) => queuedSize(item as QueuedRequest)) }),
    scheduler,
    logger,
    telemetry,
    status: ctx.status,
    // One FIFO: requests leave in the order their points were consumed.
    keyOf: () => 'otlp',
    send,
    retry: { maxInterval: config.retry_max_interval },
    weightOf: (request) => request.points,
    bound: { maxWeight: config.queue.max_points, maxBytes: config.queue.max_size, sizeOf: queuedSize },
    queueName: DELIVERY_QUEUE,
    failedReason: 'permanent',
    maxBatch: MAX_JOINED,
    maxBatchBytes: storedSizeOf(config.max_request_size),
    linger: config.linger,
    // Memory holds the front of the log for sending; with a memory log it is the queue itself.
    memory: config.disk_queue
      ? { maxItems: MAX_JOINED, maxBytes: Math.max(8 * 1024 * 1024, 2 * storedSizeOf(config.max_request_size)) }
      : { maxItems: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER },
  });
  const coalescer = new RequestCoalescer(
    encoder,
    scheduler,
    {
      maxBytes: Math.min(config.max_request_size, Math.floor(config.queue.max_size / COALESCED_SHARE)),
      maxPoints: Math.max(1, Math.floor(config.queue.max_points / COALESCED_SHARE)),
    },
    (request) => {
      try {
        queue.enqueue([queuedRequest(request)]);
      } catch (error) {
        // The store refused the write (disk full): the points are lost, and said so, never a crash of the scheduler's turn.
        telemetry.dropped(request.points, { reason: 'store_error' });
        logger.error('could not queue points for delivery: dropped', { points: request.points, error });
      }
    },
  );
  logger.info('metrics go to an OTLP endpoint', {
    url: sender.shownUrl,
    protocol: settings.protocol,
    compression: settings.compression,
    disk_queue: config.disk_queue,
  });

  return {
    consume(batch: MetricBatch): void {
      const request = encoder.encode(batch);
      if (request !== undefined) coalescer.add(request);
    },

    flush(): Promise<void> {
      coalescer.commit();
      return queue.flush();
    },

    async shutdown(): Promise<void> {
      coalescer.commit();
      await queue.flush();
      await queue.shutdown();
      sender.close();
      const left = queue.heldWeight() ?? 0;
      if (!config.disk_queue && left > 0) {
        // A memory queue ends with the exporter: what the backend did not take in time is lost, and counted.
        telemetry.dropped(left, { reason: 'shutdown' });
        logger.warn('points not delivered before the stop were dropped (set disk_queue to keep them across a restart)', { points: left });
      }
    },
  };
}

/**
 * Sends queued requests as one: runs of one content type joined by that protocol's encoder
 * (a queue from before a change of `protocol` may hold both), each run one POST, in order.
 * A failure fails the whole send, which the queue retries (at least once: a run already
 * accepted goes again).
 */
function sendJoined(
  sender: OtlpHttpSender,
  encoderFor: (protocol: OtlpProtocol) => OtlpEncoder,
  now: () => number,
  reportPartial: (rejected: number, message: string) => void,
): (items: readonly QueuedRequest[]) => Promise<void | DeliveryReceipt> {
  const encoders = new Map<string, OtlpEncoder>();
  const joinerOf = (contentType: string): OtlpEncoder => {
    let encoder = encoders.get(contentType);
    if (encoder === undefined) {
      encoder = encoderFor(contentType.includes('json') ? 'http/json' : 'http/protobuf');
      encoders.set(contentType, encoder);
    }
    return encoder;
  };
  return async (items) => {
    let rejected = 0;
    for (const run of runsOfOneType(items)) {
      const requests = run.map(outgoingRequest);
      const request = requests.length === 1 ? requests[0]! : joinerOf(run[0]!.contentType).concat(requests);
      const receipt = await sender.send(request, now, reportPartial);
      if (receipt) rejected += receipt.rejected;
    }
    return rejected > 0 ? { rejected, reason: 'partial_success' } : undefined;
  };
}

function runsOfOneType(items: readonly QueuedRequest[]): QueuedRequest[][] {
  const runs: QueuedRequest[][] = [];
  for (const item of items) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0]!.contentType === item.contentType) last.push(item);
    else runs.push([item]);
  }
  return runs;
}

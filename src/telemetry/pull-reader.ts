import { MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A MetricReader that is only ever pulled: its owner calls `collect()` on its own schedule
 * (the `internal` receiver's interval, in the injected scheduler's time), so there is no
 * export timer and nothing buffered to flush.
 */
export class PullMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}

/**
 * A pipeline.yaml for the end-to-end alerting runs: health_check → window → threshold →
 * cooldown → the given sinks, plus `console` (JSON lines) so a test sees each notification
 * that left the cooldown, and a `metrics` pipeline printing the window's figures, so a test
 * can tell that windows closed (and nothing was raised) instead of sleeping.
 *
 * Intervals are short (checks every 100 ms, 1 s windows) so a run takes seconds; the
 * cooldown is long, so any repeat a test sees is one the cooldown failed to hold.
 */
export interface AlertingPipelineOptions {
  /** health_check targets, one YAML flow map each: `{ service: web, http: { url: "…" } }`. */
  readonly targets: readonly string[];
  /** threshold rules, one YAML flow map each. */
  readonly rules: readonly string[];
  /** Sinks besides `console`: exporter id → YAML flow map of its config. */
  readonly sinks?: Readonly<Record<string, string>>;
  readonly interval?: string;
  readonly timeout?: string;
  readonly window?: string;
  /** The cooldown's config, a YAML flow map. */
  readonly cooldown?: string;
  /** Extra keys of the health_check receiver, YAML flow-map entries: `failure_threshold: 1`. */
  readonly receiver?: string;
}

export function alertingPipelineYaml(options: AlertingPipelineOptions): string {
  const sinks = { ...(options.sinks ?? {}) };
  const exporterIds = ['console', ...Object.keys(sinks)];
  const indentList = (items: readonly string[]): string => items.map((item) => `      - ${item}\n`).join('');
  return `receivers:
  health_check:
    collection_interval: ${options.interval ?? '100ms'}
    timeout: ${options.timeout ?? '3s'}
${options.receiver === undefined ? '' : `    ${options.receiver}\n`}    targets:
${indentList(options.targets)}processors:
  window: { size: ${options.window ?? '1s'}, aggregates: [mean, max] }
  threshold:
    rules:
${indentList(options.rules)}  cooldown: ${options.cooldown ?? '{ period: 10m }'}
exporters:
  console: { format: json }
${Object.entries(sinks)
  .map(([id, config]) => `  ${id}: ${config}\n`)
  .join('')}service:
  data_dir: ./data
  shutdown_timeout: 10s
  pipelines:
    alerts:
      receivers: [health_check]
      processors: [window, threshold, cooldown]
      exporters: [${exporterIds.join(', ')}]
    metrics:
      receivers: [health_check]
      processors: [window]
      exporters: [console]
`;
}

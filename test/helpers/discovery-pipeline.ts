/**
 * A pipeline.yaml for the end-to-end discovery runs (issue 7): a `registry` receiver on one
 * source, `health_check` and `process` following it through `targets_from`, every raw point
 * printed as a console JSON line, and an alerts pipeline window → threshold (with `no_data`)
 * → cooldown → console, so a test can tell that an instance which left raised no `unknown`
 * while one that went silent does.
 *
 * Intervals are short (checks and scrapes every 200 ms, 1 s windows) so a run takes seconds.
 */
export interface DiscoveryPipelineOptions {
  /** The registry receiver's config, YAML flow-map entries: `file: ./services.yaml` or `etcd: { … }`. */
  readonly registry?: string;
  /** Configured process targets, one YAML flow map each. */
  readonly processTargets?: readonly string[];
  /** Process metrics to switch on beyond the default set (`process.network.connection.count`). */
  readonly processMetrics?: readonly string[];
  /** Follow the registry with health_check (default true when there is a registry). */
  readonly healthCheck?: boolean;
  /** Follow the registry with process (default true when there is a registry). */
  readonly process?: boolean;
  /** Checks and scrapes, default 200ms. */
  readonly interval?: string;
  /** The threshold's `no_data`; no alerts pipeline without it. */
  readonly noData?: string;
}

/**
 * The rules of the alerts pipeline: neither can fire on a healthy instance (a check that
 * answers, a process using less than a petabyte), so every alert a test sees is `unknown`
 * from no_data, or a bug.
 */
export const DISCOVERY_RULES = [
  '{ name: down, metric: healthcheck.up, aggregate: mean, below: { critical: 0.5 } }',
  '{ name: memory, metric: process.memory.usage, aggregate: mean, above: { warning: 1.0e15 } }',
];

export function discoveryPipelineYaml(options: DiscoveryPipelineOptions): string {
  const interval = options.interval ?? '200ms';
  const hasRegistry = options.registry !== undefined;
  const healthCheck = hasRegistry && (options.healthCheck ?? true);
  const followProcess = hasRegistry && (options.process ?? true);
  const processTargets = options.processTargets ?? [];
  const watchesProcesses = followProcess || processTargets.length > 0;
  const receivers: string[] = [];
  let text = 'receivers:\n';
  if (hasRegistry) {
    receivers.push('registry');
    text += `  registry:\n    collection_interval: 1s\n    ${options.registry}\n`;
  }
  if (healthCheck) {
    receivers.push('health_check');
    text += `  health_check:\n    collection_interval: ${interval}\n    timeout: 2s\n    targets_from: [registry]\n`;
  }
  if (watchesProcesses) {
    receivers.push('process');
    text += `  process:\n    collection_interval: ${interval}\n`;
    if (followProcess) text += '    targets_from: [registry]\n';
    if (processTargets.length > 0) text += `    targets:\n${processTargets.map((target) => `      - ${target}\n`).join('')}`;
    const metrics = options.processMetrics ?? [];
    if (metrics.length > 0) text += `    metrics:\n${metrics.map((name) => `      ${name}: { enabled: true }\n`).join('')}`;
  }
  const consumers = receivers.filter((id) => id !== 'registry');
  if (options.noData !== undefined) {
    text += `processors:
  window: { size: 1s, aggregates: [mean] }
  threshold:
    no_data: ${options.noData}
    rules:
${DISCOVERY_RULES.map((rule) => `      - ${rule}\n`).join('')}  cooldown: { period: 10m }
`;
  }
  text += `exporters:
  console: { format: json }
service:
  data_dir: ./data
  shutdown_timeout: 10s
  pipelines:
    metrics:
      receivers: [${receivers.join(', ')}]
      exporters: [console]
`;
  if (options.noData !== undefined) {
    text += `    alerts:
      receivers: [${consumers.join(', ')}]
      processors: [window, threshold, cooldown]
      exporters: [console]
`;
  }
  return text;
}

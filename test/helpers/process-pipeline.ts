/**
 * A pipeline.yaml that watches the given process targets (YAML list items, indented six
 * spaces) and prints their points as JSON lines: what the end-to-end runs of the CLI start.
 */
export function processPipelineYaml(targets: string, interval = '200ms'): string {
  return `receivers:
  process:
    collection_interval: ${interval}
    targets:
${targets}
exporters:
  console:
    format: json
service:
  data_dir: ./data
  shutdown_timeout: 5s
  pipelines:
    metrics:
      receivers: [process]
      exporters: [console]
`;
}

import { parse } from 'yaml';
import { builtinRegistry } from '../src/builtins.js';
import { loadConfigFromSources } from '../src/config/index.js';
import { SelfTelemetry } from '../src/telemetry/self-telemetry.js';
import type { BenchModule, BenchRow } from './types.js';

const KIB = 1024;

/** A valid configuration of about `bytes`: the process receiver watching many services, each with a few labels. */
function manyTargets(bytes: number): string {
  const lines = ['receivers:', '  process:', '    collection_interval: 15s', '    targets:'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const target = [
      `      - service: service-${i}`,
      `        pid: ${1000 + i}`,
      `        labels: { team: team-${i % 17}, url: "https://user-${i}:pass@host-${i}.example/health", zone: z${i % 3} }`,
    ];
    lines.push(...target);
    size += target.reduce((sum, line) => sum + line.length + 1, 0);
  }
  lines.push(
    'processors:',
    '  window: { size: 60s, aggregates: [mean, max, last] }',
    'exporters:',
    '  console: { format: json }',
    'service:',
    '  pipelines:',
    '    metrics:',
    '      receivers: [process]',
    '      processors: [window]',
    '      exporters: [console]',
  );
  return `${lines.join('\n')}\n`;
}

/** A valid configuration of about `bytes` whose bulk is one map of many keys (the labels of one target). */
function oneBigMap(bytes: number): string {
  const lines = ['receivers:', '  process:', '    targets:', '      - service: api', '        self: true', '        labels:'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `          label_${i}: value-${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push('exporters:', '  console: {}', 'service:', '  pipelines:', '    metrics:', '      receivers: [process]', '      exporters: [console]');
  return `${lines.join('\n')}\n`;
}

function cpuMilliseconds(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** After one run for the JIT, the median of three. */
function medianOf3(work: () => void): number {
  work();
  const runs = [0, 1, 2].map(() => cpuMilliseconds(work)).sort((a, b) => a - b);
  return runs[1]!;
}

export const run: BenchModule = async () => {
  const selfTelemetry = new SelfTelemetry('bench');
  const registry = builtinRegistry(selfTelemetry);
  const rows: BenchRow[] = [];
  const cases: Array<[string, string]> = [
    ['100 KB, many targets', manyTargets(100 * KIB)],
    ['1 MB, many targets', manyTargets(1024 * KIB)],
    ['1 MB, one map of many keys', oneBigMap(1024 * KIB)],
  ];
  for (const [name, text] of cases) {
    const load = (): void => {
      const result = loadConfigFromSources([{ name: 'pipeline.yaml', text }], registry, {});
      if (!result.ok) throw new Error(`bench: the ${name} configuration does not load: ${result.problems[0]?.message}`);
    };
    rows.push({
      name: `loadConfigFromSources, ${name}`,
      value: medianOf3(load),
      unit: 'ms CPU',
      role: 'measured',
      note: `${Math.round(text.length / KIB)} KiB; parse, alias and depth bounds, merge, env expansion, schema validation`,
    });
    rows.push({
      name: `yaml.parse, ${name}`,
      // yaml's default duplicate-key check compares each key with every earlier one (55 s
      // CPU for the one-map case); the loader checks duplicates itself, with a map.
      value: medianOf3(() => parse(text, { uniqueKeys: false })),
      unit: 'ms CPU',
      role: 'reference',
      note: 'the same text to plain JavaScript values, nothing checked (`uniqueKeys: false`)',
    });
  }
  await selfTelemetry.shutdown();
  return {
    title: 'configuration loading',
    target: 'linear in the file size: `validate`, `run` and every SIGHUP pay it (before: 64 KB string 19 s, 1 MB of map keys 13 s)',
    rows,
  };
};

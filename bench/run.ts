import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { packageRoot } from '../src/package-root.js';
import type { BenchModule, BenchSection } from './types.js';
import { run as processBench } from './process.js';
import { run as windowBench } from './window.js';
import { run as thresholdBench } from './threshold.js';
import { run as cooldownBench } from './cooldown.js';
import { run as configLoadBench } from './config-load.js';
import { run as schedulingBench } from './scheduling.js';
import { run as healthCheckBench } from './health-check.js';
import { run as alertChainBench } from './alert-chain.js';
import { run as alertLatencyBench } from './alert-latency.js';
import { run as smallProcessorsBench } from './processors-small.js';
import { run as otlpEncodeBench } from './otlp-encode.js';
import { run as otlpEndToEndBench } from './otlp-end-to-end.js';
import { run as historyBench } from './history.js';

const MODULES: ReadonlyArray<[string, BenchModule]> = [
  ['process receiver', processBench],
  ['window processor', windowBench],
  ['processor chain window → threshold', thresholdBench],
  ['cooldown processor', cooldownBench],
  ['configuration loading', configLoadBench],
  ['scheduling', schedulingBench],
  ['health_check', healthCheckBench],
  ['alerting chain', alertChainBench],
  ['alert latency', alertLatencyBench],
  ['filter, attributes and batch processors', smallProcessorsBench],
  ['OTLP encoding', otlpEncodeBench],
  ['end to end, receiver → OTLP → VictoriaMetrics', otlpEndToEndBench],
  ['history', historyBench],
];

function formatValue(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

function renderSection(section: BenchSection): string {
  const lines = [`## ${section.title}`, '', `Target: ${section.target}`, '', '| | figure | unit | note |', '|---|---:|---|---|'];
  for (const row of section.rows) {
    const name = row.role === 'reference' ? `${row.name} (reference)` : `**${row.name}**`;
    lines.push(`| ${name} | ${formatValue(row.value)} | ${row.unit} | ${row.note ?? ''} |`);
  }
  return lines.join('\n');
}

/** Runs every benchmark in one process, prints the figures and writes BENCHMARKS.md. */
async function main(): Promise<void> {
  const sections: string[] = [];
  for (const [name, bench] of MODULES) {
    process.stderr.write(`bench: ${name}…\n`);
    const section = await bench();
    const text = renderSection(section);
    process.stdout.write(`${text}\n\n`);
    sections.push(text);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const header = [
    '# Benchmarks',
    '',
    'Written by `npm run bench`. Every figure is CPU time of the measured process (user + system),',
    'not wall time, and each is printed beside the references measured in the same run.',
    '',
    `Last run: ${new Date().toISOString()} on ${machine}.`,
  ].join('\n');
  writeFileSync(join(packageRoot(), 'BENCHMARKS.md'), `${header}\n\n${sections.join('\n\n')}\n`);
}

await main();

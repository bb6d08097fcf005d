import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * Replaces the sections of `previous` that have a new text (same `## title`), keeping the
 * others in place and appending the new ones it lacked.
 */
function spliceSections(previous: string, fresh: readonly string[]): string {
  const titleOf = (text: string): string => text.slice(0, text.indexOf('\n'));
  const [head, ...old] = previous.split(/\n(?=## )/);
  const byTitle = new Map(fresh.map((text) => [titleOf(text), text]));
  const kept = old.map((text) => {
    const replaced = byTitle.get(titleOf(text));
    byTitle.delete(titleOf(text));
    return replaced ?? text.trimEnd();
  });
  return `${[head!.trimEnd(), ...kept, ...byTitle.values()].join('\n\n')}\n`;
}

/**
 * Runs every benchmark in one process, prints the figures and writes BENCHMARKS.md. With
 * words (`npm run bench -- history window`), only the modules whose names contain one of
 * them run, and their sections replace the same sections of BENCHMARKS.md.
 */
async function main(words: readonly string[]): Promise<void> {
  const chosen = words.length === 0 ? MODULES : MODULES.filter(([name]) => words.some((word) => name.includes(word)));
  if (chosen.length === 0) throw new Error(`no bench module matches ${words.join(', ')}: ${MODULES.map(([name]) => name).join('; ')}`);
  const sections: string[] = [];
  for (const [name, bench] of chosen) {
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
    `Last run: ${new Date().toISOString()} on ${machine}${words.length === 0 ? '' : ` (sections: ${chosen.map(([name]) => name).join("; ")}; the others from an earlier run)`}.`,
  ].join('\n');
  const file = join(packageRoot(), 'BENCHMARKS.md');
  const text = `${header}\n\n${sections.join('\n\n')}\n`;
  writeFileSync(file, words.length === 0 || !existsSync(file) ? text : spliceSections(readFileSync(file, 'utf8').replace(/^[\s\S]*?(?=\n## )/, header), sections));
}

await main(process.argv.slice(2));

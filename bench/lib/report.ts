/** The targets of issue 4, the result record, and its Markdown table. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbKind, Size } from './dataset.ts';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  id: string;
  name: string;
  unit: string;
  /** The value judged against the target (the median for timings). */
  value: number | null;
  p95?: number | null;
  target?: Target;
  met?: boolean | null;
  note?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  database: string;
  loadAverageBefore: number[];
  loadAverageAfter?: number[];
}

export interface BenchResult {
  at: string;
  db: DbKind;
  size: Size;
  machine: Machine;
  dataset: Record<string, unknown>;
  figures: Figure[];
  details: Record<string, unknown>;
}

/** The targets both databases share; each database adds or overrides its own below. */
const SHARED_TARGETS: Record<string, Target> = {
  'A http/A': { op: '<=', value: 1.5 },
  'B p99': { op: '<=', value: 50 },
  'C/floor': { op: '<=', value: 1.5 },
  'C api/C': { op: '<=', value: 1.1 },
  D: { op: '<=', value: 5000 },
  E: { op: '<=', value: 50 },
  F: { op: '<=', value: 300 },
  G: { op: '<=', value: 500 },
  H: { op: '<=', value: 50 },
};

const TARGETS: Record<DbKind, Record<string, Target>> = {
  sqlite: {
    ...SHARED_TARGETS,
    A: { op: '<=', value: 25 },
    'B req/s': { op: '>=', value: 2000 },
    'B/B floor': { op: '>=', value: 0.3 },
    C: { op: '<=', value: 300 },
    'I rows/s': { op: '>=', value: 50_000 },
    'I memory': { op: '<=', value: 100 },
  },
  postgres: {
    ...SHARED_TARGETS,
    A: { op: '<=', value: 40 },
    'B req/s': { op: '>=', value: 1000 },
    C: { op: '<=', value: 500 },
  },
};

export function targetFor(db: DbKind, key: string): Target | undefined {
  return TARGETS[db][key];
}

export function judge(value: number | null, target: Target | undefined): boolean | null {
  if (value === null || !target || Number.isNaN(value)) return null;
  return target.op === '<=' ? value <= target.value : value >= target.value;
}

export function machineInfo(database: string): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    database,
    loadAverageBefore: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function formatNumber(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (unit === '×') return value.toFixed(2);
  if (unit === 'req/s') return Math.round(value).toLocaleString('en');
  if (unit === 'MB') return value.toFixed(0);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function formatTarget(target: Target | undefined, unit: string): string {
  if (!target) return '';
  const v = unit === 'ms' && target.value >= 1000 ? `${target.value / 1000} s` : `${target.value.toLocaleString('en')} ${unit}`;
  return `${target.op === '<=' ? '≤' : '≥'} ${v}`;
}

function verdict(f: Figure): string {
  if (f.met === null || f.met === undefined) return f.target ? 'not measured' : '';
  return f.met ? 'met' : '**missed**';
}

/** The result as a Markdown section: machine, dataset, one row per figure. */
export function toMarkdown(result: BenchResult): string {
  const m = result.machine;
  const lines = [
    `### ${result.db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${result.size} (${result.at})`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, ${m.database}; load average before ${m.loadAverageBefore.join(' / ')}${m.loadAverageAfter ? `, after ${m.loadAverageAfter.join(' / ')}` : ''}.`,
    `Dataset: ${Object.entries((result.dataset.counts as Record<string, number>) ?? {})
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(', ')}; ${result.dataset.reused ? 'reused' : `generated in ${Number(result.dataset.generatedSeconds).toFixed(1)} s`}.`,
    '',
    '| | figure | median | p95 | target | result |',
    '|---|---|---:|---:|---|---|',
  ];
  for (const f of result.figures) {
    const value = f.value === null ? (f.note ?? '–') : `${formatNumber(f.value, f.unit)} ${f.unit === '×' ? '' : f.unit}`.trim();
    const p95 = f.p95 === undefined ? '' : `${formatNumber(f.p95, f.unit)} ${f.unit}`;
    lines.push(`| ${f.id} | ${f.name} | ${value} | ${p95} | ${formatTarget(f.target, f.unit)} | ${verdict(f)} |`);
  }
  const missed = result.figures.filter((f) => f.met === false).map((f) => f.id);
  lines.push('', missed.length === 0 ? 'Every measured target is met.' : `Missed: ${missed.join(', ')}.`);
  return lines.join('\n');
}

/** Side-by-side table of both databases, for the README. */
export function comparisonMarkdown(results: BenchResult[]): string {
  const sqlite = results.find((r) => r.db === 'sqlite');
  const postgres = results.find((r) => r.db === 'postgres');
  if (!sqlite || !postgres) return '';
  const lines = ['| | figure | SQLite | target | PostgreSQL | target |', '|---|---|---:|---|---:|---|'];
  for (const f of sqlite.figures) {
    const g = postgres.figures.find((x) => x.id === f.id);
    const cell = (x: Figure | undefined) =>
      !x ? '–' : x.value === null ? (x.note ?? '–') : `${formatNumber(x.value, x.unit)} ${x.unit === '×' ? '' : x.unit}${x.met === false ? ' ✗' : x.met ? ' ✓' : ''}`.replace('  ', ' ');
    lines.push(`| ${f.id} | ${f.name} | ${cell(f)} | ${formatTarget(f.target, f.unit)} | ${cell(g)} | ${formatTarget(g?.target, g?.unit ?? '')} |`);
  }
  return lines.join('\n');
}

export function writeResult(resultsDir: string, result: BenchResult): string[] {
  fs.mkdirSync(resultsDir, { recursive: true });
  const stamp = result.at.replace(/[:.]/g, '-');
  const files = [path.join(resultsDir, `${result.db}-${result.size}-${stamp}.json`), path.join(resultsDir, `latest-${result.db}-${result.size}.json`)];
  for (const file of files) fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return files;
}

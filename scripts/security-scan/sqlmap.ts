import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** One form or search sqlmap attacks, with the session it needs. */
export interface ScanTarget {
  name: string;
  url: string;
  /** Form body for a POST; absent for a GET target (the parameters are in the URL). */
  data?: string;
  cookie: string;
  /** The parameters to inject into (nothing else is touched, so the CSRF token stays valid). */
  parameters: string[];
  /** HTTP statuses that are this target's normal answer, not a reason for sqlmap to give up (401 for a wrong password). */
  ignoreCodes?: number[];
  /** More sqlmap options for this target. */
  extraArgs?: string[];
}

export interface ScanLimits {
  level: number;
  risk: number;
  /** Wall-clock limit per target; a target that runs over counts as inconclusive. */
  timeoutSeconds: number;
}

export type Verdict = 'clean' | 'finding' | 'inconclusive';

export interface TargetResult {
  target: ScanTarget;
  verdict: Verdict;
  /** The lines of sqlmap's output that made the verdict. */
  evidence: string[];
  seconds: number;
  output: string;
}

/** Whether Debian's sqlmap is on the PATH; its version line if so. */
export function sqlmapVersion(): string | undefined {
  const probe = spawnSync('sqlmap', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  return probe.stdout.split('\n').find((l) => /^\d/.test(l.trim()))?.trim() ?? probe.stdout.trim();
}

const FINDING_PATTERNS = [
  /sqlmap identified the following injection point/i,
  /parameter '.*' is vulnerable/i,
  /appears to be '.*' injectable/i,
  /might be injectable/i,
  /might be vulnerable to cross-site scripting/i,
  /back-end DBMS is/i,
];
const CLEAN_PATTERN = /all tested parameters do not appear to be injectable/i;
const BROKEN_PATTERNS = [/\[CRITICAL\]/, /connection refused/i, /unable to connect/i];

/** Reads sqlmap's console output: any sign of an injection is a finding; no clean verdict is inconclusive. */
export function judge(output: string): { verdict: Verdict; evidence: string[] } {
  const lines = output.split('\n');
  const findings = lines.filter((l) => FINDING_PATTERNS.some((p) => p.test(l)));
  if (findings.length > 0) return { verdict: 'finding', evidence: findings };
  const broken = lines.filter((l) => BROKEN_PATTERNS.some((p) => p.test(l)) && !CLEAN_PATTERN.test(l));
  if (CLEAN_PATTERN.test(output) && broken.length === 0) return { verdict: 'clean', evidence: lines.filter((l) => CLEAN_PATTERN.test(l)) };
  return { verdict: 'inconclusive', evidence: broken.length > 0 ? broken : lines.slice(-5) };
}

const PROGRESS = /testing for SQL injection on|does not seem to be injectable|might be injectable|is vulnerable|\[CRITICAL\]/i;

let running: ChildProcess | undefined;

/** Stops the sqlmap run in progress, if any (by its own process id). */
export function stopRunning(): void {
  if (running?.pid && running.exitCode === null) running.kill('SIGTERM');
}

/** Runs sqlmap once against `target` in batch mode, bounded by `limits`, and judges the outcome. */
export async function scan(target: ScanTarget, limits: ScanLimits, outputDir: string): Promise<TargetResult> {
  const args = [
    '-u', target.url,
    ...(target.data === undefined ? [] : ['--data', target.data]),
    ...(target.ignoreCodes ? [`--ignore-code=${target.ignoreCodes.join(',')}`] : []),
    '--cookie', target.cookie,
    '-p', target.parameters.join(','),
    '--batch',
    `--level=${limits.level}`,
    `--risk=${limits.risk}`,
    '--threads=1',
    '--timeout=15',
    '--retries=1',
    '--time-sec=2',
    '--drop-set-cookie',
    '--skip-waf',
    '--flush-session',
    '--disable-coloring',
    '--output-dir', outputDir,
    ...(target.extraArgs ?? []),
    ...(process.env.SCAN_SQLMAP_ARGS ? process.env.SCAN_SQLMAP_ARGS.split(' ').filter(Boolean) : []),
  ];
  const started = performance.now();
  const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  let output = '';
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    // Progress for the operator: one line per parameter started and per verdict.
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (PROGRESS.test(line)) console.log(`    ${line.trim()}`);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, limits.timeoutSeconds * 1000);
  const exit = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  running = undefined;
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (timedOut) return { target, verdict: 'inconclusive', evidence: [`stopped after the time limit of ${limits.timeoutSeconds} s`], seconds, output };
  const judged = judge(output);
  if (exit !== 0 && judged.verdict === 'clean') return { target, verdict: 'inconclusive', evidence: [`sqlmap exited with ${String(exit)}`], seconds, output };
  return { target, ...judged, seconds, output };
}

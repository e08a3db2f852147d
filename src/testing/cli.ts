import { Readable } from 'node:stream';
import type { CliIo } from '../cli/command.ts';
import { runCli } from '../cli/run.ts';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command line through the dispatcher with `env`, `input` as piped standard input, and its output captured. */
export async function runCliCaptured(args: string[], env: Record<string, string>, input = ''): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from([input]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { LOG_LEVEL: 'silent', ...env },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

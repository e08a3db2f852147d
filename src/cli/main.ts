import { runCli } from './run.ts';

/**
 * Operator command line: `npm run cli -- <command> [options]` (see `--help`). The exit status is
 * set rather than forced, so output still being written reaches the terminal or pipe in full.
 */
process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});

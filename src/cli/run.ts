import { parseArgs } from 'node:util';
import { AppError } from '../errors.ts';
import { InvalidUserInput } from '../services/users.ts';
import { CliError, commandHelp, EXIT, INVOCATION, UsageError, type CliIo, type Command } from './command.ts';
import { backupCommand } from './commands/backup.ts';
import { createUserCommand } from './commands/create-user.ts';
import { enrolProgrammeCommand } from './commands/enrol-programme.ts';
import { createApiTokenCommand } from './commands/create-api-token.ts';
import { sweepIdempotencyKeysCommand } from './commands/sweep-idempotency-keys.ts';
import { migrateCommand } from './commands/migrate.ts';
import { restoreCommand } from './commands/restore.ts';
import { seedDemoCommand } from './commands/seed-demo.ts';
import { sendMailCommand } from './commands/send-mail.ts';
import { sendWebhooksCommand } from './commands/send-webhooks.ts';
import { sweepCommand } from './commands/sweep.ts';
import { sweepStagedProofsCommand } from './commands/sweep-staged-proofs.ts';

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [migrateCommand, createUserCommand, seedDemoCommand, enrolProgrammeCommand, sweepCommand, sweepStagedProofsCommand, sendMailCommand, sendWebhooksCommand, sweepIdempotencyKeysCommand, createApiTokenCommand, backupCommand, restoreCommand];

/** The top-level `--help` text. */
export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${INVOCATION} <command> [options]`,
    '',
    'Operator commands for Presentia.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run "${INVOCATION} <command> --help" for a command's options.`,
    'The database is the one the server uses: PostgreSQL when DATABASE_URL is set, otherwise the',
    'SQLite file presentia.db in DATA_DIR (default ./data).',
    '',
    'Exit status: 0 done, 1 refused or failed, 2 wrong command line.',
    '',
  ].join('\n');
}

/**
 * Runs one command line (without `node` and the script) and returns the exit status. Every failure
 * ends as a message on standard error, never as a stack trace: the reader is an operator.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.stderr.write(generalHelp());
      return EXIT.usage;
    }
    if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
      io.stdout.write(generalHelp());
      return EXIT.ok;
    }
    if (name === 'help') {
      io.stdout.write(commandHelp(findCommand(rest[0]!)));
      return EXIT.ok;
    }
    const command = findCommand(name);
    const values = parseOptions(command, rest);
    if (values.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    await command.run(values, io);
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`${describeError(error)}\n`);
    return error instanceof CliError ? error.exitCode : EXIT.failed;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const hint = name.startsWith('-') ? `Unknown option "${name}" before the command.` : `Unknown command "${name}".`;
  throw new UsageError(`${hint} The commands are: ${COMMANDS.map((c) => c.name).join(', ')}. Run "${INVOCATION} --help" for help.`);
}

function parseOptions(command: Command, args: readonly string[]) {
  const options = Object.fromEntries(Object.entries(command.options).map(([key, o]) => [key, { type: o.type }]));
  const expected = command.arguments ?? [];
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: expected.length > 0,
    }) as typeof parsed;
  } catch (error) {
    // parseArgs explains well ("Unknown option '--mail'"); add where to read more.
    const message = (error as Error).message.replace(/\.?$/, '.');
    throw new UsageError(`${message} Run "${INVOCATION} ${command.name} --help" for its options.`);
  }
  // Positional arguments (e.g. `backup <file>`) arrive in `values` under their names.
  const { values, positionals } = parsed;
  if (values.help) return values;
  if (positionals.length !== expected.length) {
    const wanted = expected.map((a) => `<${a.name}>`).join(' ');
    const problem =
      positionals.length < expected.length
        ? `${command.name} needs ${wanted}.`
        : `${command.name} takes only ${wanted}; "${positionals[expected.length]}" is one too many.`;
    throw new UsageError(`${problem} Usage: ${INVOCATION} ${command.usage}`);
  }
  expected.forEach((a, i) => (values[a.name] = positionals[i]));
  return values;
}

/** One clear message for any failure: ours, the services', the configuration's or the database driver's. */
function describeError(error: unknown): string {
  if (error instanceof InvalidUserInput) return error.problems.map((p) => p.message).join('\n');
  if (error instanceof CliError || error instanceof AppError) return error.message;
  if (error instanceof AggregateError && error.errors.length > 0) {
    // pg reports a refused connection as an AggregateError (one per address tried) with no message.
    return `Error: ${error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ')}`;
  }
  if (error instanceof Error) return `Error: ${error.message || error.name}`;
  return `Error: ${String(error)}`;
}

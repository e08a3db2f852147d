/** What every operator command is made of, and the errors that end one with a clear message. */

/** The streams and environment a command runs with: the process's own, or a test's. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

export interface CommandOption {
  type: 'string' | 'boolean';
  /** Shown in the help as `--name <valueName>`. */
  valueName?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The command line, e.g. `create-user --email <address> --name <name> [--roles <roles>]`. */
  usage: string;
  /** Paragraphs shown by `<command> --help`. */
  description: string;
  options: Record<string, CommandOption>;
  /** Positional arguments, all required, in order; each arrives in `values` under its name. */
  arguments?: readonly CommandArgument[];
  run(values: OptionValues, io: CliIo): Promise<void>;
}

export interface CommandArgument {
  /** Shown in the help as `<name>`. */
  name: string;
  description: string;
}

/** Exit codes: 0 done, 1 refused or failed, 2 the command line itself was wrong, 130 cancelled. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** A failure to report as one clear message (no stack trace), ending with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line was wrong: unknown command or option, missing value. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** How the CLI is started, as people type it. */
export const INVOCATION = 'npm run cli --';

/** The `--help` text of one command. */
export function commandHelp(command: Command): string {
  const rows = Object.entries(command.options).map(([name, o]) => [`--${name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`, o.description] as const);
  rows.push(['--help, -h', 'Show this help.']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const args = command.arguments ?? [];
  const argWidth = Math.max(0, ...args.map((a) => a.name.length + 2));
  return [
    `Usage: ${INVOCATION} ${command.usage}`,
    '',
    command.summary,
    '',
    command.description.trim(),
    '',
    ...(args.length > 0 ? ['Arguments:', ...args.map((a) => `  ${`<${a.name}>`.padEnd(argWidth)}  ${a.description}`), ''] : []),
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
  ].join('\n');
}

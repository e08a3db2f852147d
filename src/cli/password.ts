import { CliError, EXIT, type CliIo } from './command.ts';

// Far more than any password; stops a command from swallowing a whole file piped in by mistake.
const MAX_PIPED_BYTES = 64 * 1024;

/**
 * Reads a password without it ever appearing on screen or in the shell history: typed at a
 * terminal with echo off (and typed twice when `confirm`), or as the first line of standard input
 * when it is piped (`printf '%s\n' "$PASSWORD" | npm run cli -- create-user …`).
 */
export async function readPassword(io: CliIo, options: { confirm: boolean }): Promise<string> {
  if (!io.stdin.isTTY) return readFirstLine(io);
  const password = await promptHidden(io, 'Password: ');
  if (options.confirm && (await promptHidden(io, 'Repeat password: ')) !== password) {
    throw new CliError('The two passwords differ; nothing was changed.');
  }
  return password;
}

async function readFirstLine(io: CliIo): Promise<string> {
  let text = '';
  // Stops at the first line break: a writer that keeps the pipe open after it does not hang us.
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n') || text.length > MAX_PIPED_BYTES) break;
  }
  const line = text.split('\n')[0]!.replace(/\r$/, '');
  if (line === '') {
    throw new CliError('No password given: type it when asked (in a terminal), or pipe it as the first line of standard input.');
  }
  return line;
}

/** Prompts on standard error and reads one line from the terminal in raw mode, showing nothing. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin;
  const setRawMode = input.setRawMode?.bind(input);
  if (!setRawMode) throw new CliError('This terminal cannot hide typed input; pipe the password on standard input instead.');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: CliError) => {
      input.off('data', onData);
      setRawMode(false);
      input.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: string | Buffer) => {
      const chunk = typeof data === 'string' ? data : data.toString('utf8');
      // Arrow and function keys arrive as one escape sequence per chunk; they are not part of a password.
      if (chunk.startsWith('\u001b')) return;
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError('Cancelled; nothing was changed.', EXIT.cancelled));
        if (ch === '\u0004') return value === '' ? finish(new CliError('Cancelled; nothing was changed.', EXIT.cancelled)) : finish();
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    io.stderr.write(prompt);
    setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

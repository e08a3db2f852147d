import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { createMailer, type Mailer } from '../services/mailer.ts';

/** One message an SMTP capture accepted: the envelope's recipients and the parsed message. */
export interface CapturedMail {
  to: string[];
  parsed: ParsedMail;
}

export interface SmtpCapture {
  port: number;
  /** Accepted messages, in order. */
  mails: CapturedMail[];
  /** Every DATA command the server answered (accepted or refused). */
  deliveriesTried: number;
  /** The next `n` messages are refused with a temporary error (451). */
  refuseNext(n: number): void;
  /** A mailer that sends here, as the server's configuration would make it. */
  mailer(): Mailer;
  close(): Promise<void>;
}

/**
 * A local SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps what it accepts, parsed
 * with `mailparser`, and can refuse the next attempts with a temporary failure.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  let refusals = 0;
  const mails: CapturedMail[] = [];
  const capture = { deliveriesTried: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        capture.deliveriesTried += 1;
        if (refusals > 0) {
          refusals -= 1;
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const mailers: Mailer[] = [];
  return {
    port,
    mails,
    get deliveriesTried() {
      return capture.deliveriesTried;
    },
    refuseNext(n) {
      refusals = n;
    },
    mailer() {
      const mailer = createMailer(
        { SMTP_HOST: '127.0.0.1', SMTP_PORT: port, SMTP_SECURE: false, SMTP_USER: undefined, SMTP_PASSWORD: undefined, MAIL_FROM: 'Presentia <no-reply@presentia.test>' },
        pino({ level: 'silent' }),
      );
      mailers.push(mailer);
      return mailer;
    },
    async close() {
      for (const m of mailers) m.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

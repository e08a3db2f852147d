import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { WrittenMail } from './mail-render.ts';

/** Sends one written e-mail; rejects when the server did not accept it. */
export interface Mailer {
  send(mail: WrittenMail & { to: string; messageId: string }): Promise<void>;
  close(): void;
  /** Where the mail goes: `smtp://host:port`, or `log`. */
  readonly target: string;
}

/** Seconds the SMTP client waits for the server at each step: well inside a claim (CLAIM_SECONDS). */
const SMTP_TIMEOUT_MS = 30_000;

/**
 * The mailer the configuration asks for: nodemailer over SMTP when `SMTP_HOST` is set; otherwise
 * e-mail is written to the log (the recipient, subject, text and attachment names) and counts as sent.
 */
export function createMailer(config: Pick<Config, 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURE' | 'SMTP_USER' | 'SMTP_PASSWORD' | 'MAIL_FROM'>, logger: Logger): Mailer {
  // nodemailer is loaded with the first mail to send, not at start-up (every server schedules the outbox).
  const options = config.SMTP_HOST
    ? {
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } } : {}),
        connectionTimeout: SMTP_TIMEOUT_MS,
        greetingTimeout: SMTP_TIMEOUT_MS,
        socketTimeout: SMTP_TIMEOUT_MS,
      }
    : { jsonTransport: true as const };
  let transport: Promise<Transporter> | undefined;
  const transporter = () => (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(options)));
  const close = () => void transport?.then((t) => t.close());
  if (!config.SMTP_HOST) {
    return {
      target: 'log',
      async send(mail) {
        await (await transporter()).sendMail({ from: config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
        logger.info(
          { mail: { to: mail.to, subject: mail.subject, text: mail.text, attachments: mail.attachments.map((a) => a.filename), messageId: mail.messageId } },
          'e-mail written to the log (no SMTP_HOST configured)',
        );
      },
      close,
    };
  }
  return {
    target: `smtp://${config.SMTP_HOST}:${config.SMTP_PORT}`,
    async send(mail) {
      await (await transporter()).sendMail({ from: config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, attachments: mail.attachments, messageId: mail.messageId });
    },
    close,
  };
}

/** The address the links and QR codes in e-mail point to: PUBLIC_URL, else this server on localhost. */
export function mailBaseUrl(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): string {
  return config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
}

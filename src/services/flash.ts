import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { setSessionFlash, takeSessionFlash } from '../repositories/sessions.ts';
import { sessionKey } from './auth.ts';

/*
 * Post/redirect/get: what a save did is kept with the login session and shown once by the page the
 * browser is sent to. The page never takes it from its address, so nobody can send someone a link
 * that shows a made-up confirmation.
 */

const count = z.number().finite();

const registrationFlash = z.object({
  kind: z.literal('registration'),
  runId: z.string(),
  /** What the save reports (RegistrationSummary): counts by name. */
  summary: z.record(z.string(), count),
});

/**
 * Any other page's confirmation: a message key the page knows (it ignores any other) and the values
 * the message names (counts, a name, a version).
 */
const noticeFlash = z.object({
  kind: z.literal('notice'),
  key: z.string().max(60),
  params: z.record(z.string(), z.union([z.string().max(500), count])),
});

const flashSchema = z.discriminatedUnion('kind', [registrationFlash, noticeFlash]);

export type Flash = z.infer<typeof flashSchema>;
export type Notice = Omit<z.infer<typeof noticeFlash>, 'kind'>;

/** Keeps `flash` for the next page of the session with this cookie token. */
export async function setFlash(db: Db, sessionToken: string, flash: Flash): Promise<void> {
  await setSessionFlash(db, sessionKey(sessionToken), JSON.stringify(flash));
}

/** The session's one-time message, removed from the session; undefined when there is none. */
export async function takeFlash(db: Db, sessionToken: string | undefined): Promise<Flash | undefined> {
  if (!sessionToken) return undefined;
  const text = await takeSessionFlash(db, sessionKey(sessionToken));
  if (!text) return undefined;
  try {
    const parsed = flashSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

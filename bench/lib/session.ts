import type { Db } from '../../src/db/index.ts';
import { TEACHER_SESSION_TOKEN, CSRF_COOKIE_TOKEN, ids, sessionId } from './dataset.ts';

export const TEACHER_ID = ids.user(0);

/**
 * (Re)opens the bench teacher's session with the known token, as `openSession` in
 * src/services/auth.ts stores it (the id is the SHA-256 of the cookie token), valid for 11 hours and
 * seen just now, so neither the idle limit nor the maximum age ends it during the run.
 */
export async function openTeacherSession(db: Db, now = new Date()): Promise<void> {
  const id = sessionId(TEACHER_SESSION_TOKEN);
  await db.deleteFrom('sessions').where('id', '=', id).execute();
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: TEACHER_ID,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 11 * 3_600_000).toISOString(),
    })
    .execute();
}

/** The headers of the signed-in teacher's browser: session and CSRF cookies, Dutch. */
export const teacherHeaders: Record<string, string> = {
  cookie: `presentia_session=${TEACHER_SESSION_TOKEN}; presentia_csrf=${CSRF_COOKIE_TOKEN}`,
  'accept-language': 'nl-BE,nl;q=0.9',
};

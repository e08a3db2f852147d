import type { Db } from '../db/index.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';

/** The owner of the feed whose token has this hash: an active, not anonymised person. */
export async function getFeedOwner(db: Db, tokenHash: string) {
  return db
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.user_id', 'f.token_hash', 'u.locale'])
    .where('f.token_hash', '=', tokenHash)
    .where('u.deactivated_at', 'is', null)
    .where('u.anonymised_at', 'is', null)
    .executeTakeFirst();
}

/** When the person's current feed address was made, if they have one. */
export async function getFeedCreatedAt(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('calendar_feeds').select('created_at').where('user_id', '=', userId).executeTakeFirst();
  return row?.created_at;
}

/** Makes `tokenHash` the person's only feed token: an earlier one stops matching in the same statement. */
export async function replaceFeedToken(db: Db, userId: string, tokenHash: string, at: string): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values({ user_id: userId, token_hash: tokenHash, created_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: at }))
    .execute();
}

export async function deleteFeed(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute();
}

/** The statuses whose run stays in a participant's calendar: active ones, and `cancelled` (the run shows as cancelled). */
const FEED_HIDDEN_STATUSES = [...INACTIVE_STATUSES].filter((s) => s !== 'cancelled');

/**
 * Every meeting, ending at or after `since`, of the runs a person teaches or is enrolled in (an
 * enrolment that is not withdrawn, archived or otherwise ended; a cancelled run's stays, to show as
 * cancelled), with its run and course: one query, in time order. `teaches` is 1 for a run they teach.
 */
export async function listFeedMeetings(db: Db, userId: string, since: string) {
  const rows = await db
    .selectFrom('meetings as m')
    .innerJoin('runs as r', 'r.id', 'm.run_id')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .select((eb) => [
      'm.id',
      'm.starts_at',
      'm.ends_at',
      'm.place',
      'r.code as run_code',
      'r.cancelled_at as run_cancelled_at',
      'c.title as course_title',
      'c.cancelled_at as course_cancelled_at',
      eb
        .case()
        .when('m.run_id', 'in', eb.selectFrom('run_teachers as rt').select('rt.run_id').where('rt.user_id', '=', userId))
        .then(1)
        .else(0)
        .end()
        .as('teaches'),
    ])
    .where('m.ends_at', '>=', since)
    .where((eb) =>
      eb.or([
        eb('m.run_id', 'in', eb.selectFrom('run_teachers as rt').select('rt.run_id').where('rt.user_id', '=', userId)),
        eb(
          'm.run_id',
          'in',
          eb
            .selectFrom('enrolments as e')
            .select('e.run_id')
            .where('e.user_id', '=', userId)
            .where('e.run_id', 'is not', null)
            .where('e.status', 'not in', FEED_HIDDEN_STATUSES),
        ),
      ]),
    )
    .orderBy('m.starts_at')
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({ ...r, teaches: Number(r.teaches) === 1 }));
}

export type FeedMeeting = Awaited<ReturnType<typeof listFeedMeetings>>[number];

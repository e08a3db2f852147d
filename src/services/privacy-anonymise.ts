import { clearParticipantReasons } from '../repositories/participant-actions.ts';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { newId, nowIso } from '../db/index.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { nl } from '../i18n/nl.ts';
import { deleteMailTo } from '../repositories/outbox.ts';
import { appendHistory } from '../repositories/history.ts';
import {
  anonymiseUserRow,
  clearEnrolmentFreeText,
  deleteLoginAttemptsFor,
  getProfile,
  listFreeTextHistory,
  listExemptionFileKeys,
  listProofFileKeys,
  redactHistoryValues,
} from '../repositories/privacy.ts';
import { deleteUserSessions } from '../repositories/sessions.ts';
import { deleteFeed } from '../repositories/calendar-feeds.ts';
import type { Actor } from './actor.ts';
import { exemptionDirectory } from './exemption-files.ts';
import { proofDirectory } from './proof-files.ts';

/** Why an anonymisation was refused (i18n keys under `adminUsers`). */
export type AnonymiseRefusal = 'notYourself' | 'alreadyAnonymised';

export class AnonymiseRefused extends AppError {
  constructor(readonly reason: AnonymiseRefusal) {
    super('refused', 403, reason);
  }
}

/** The e-mail domain of anonymised accounts: `.invalid` is reserved (RFC 2606) and never delivers. */
export const ANONYMISED_EMAIL_DOMAIN = 'anonymised.invalid';

/** The short, non-identifying reference shown in an anonymised name (the random tail of the id). */
export function anonymisedShortId(userId: string): string {
  return userId.slice(-8).toLowerCase();
}

/** A stored proof-file key as storeProof makes them; anything else is never used as a path. */
const PROOF_FILE_KEY = /^[0-9A-Z]{26}\.(pdf|png|jpg)$/;

/**
 * The free text of an effort history value ("rating", "rating: comment" or ": comment") removed,
 * keeping the rating: the rating is a result, the comment is personal remarks.
 */
export function withoutEffortComment(value: string | null): string | null {
  if (value === null) return null;
  const split = value.indexOf(': ');
  if (split < 0) return value;
  const rating = value.slice(0, split);
  return rating === '' ? null : rating;
}

export interface AnonymiseResult {
  name: string;
  email: string;
  proofFilesDeleted: number;
}

/**
 * Anonymises a person who has left (right to erasure), by an administrator. Replaces the name with
 * "Geanonimiseerde deelnemer <short id>" and the e-mail with a unique placeholder; clears password
 * and language; ends their sessions and their calendar feed, and forgets the sign-in attempts for their address; erases the
 * free text about them (effort comments, force-majeure notes and proof files, exemption evidence), in the enrolments and
 * in the history values that repeat it. Enrolments, statuses, attendance, study points and
 * certificates stay, so statistics stay right and certificates stay verifiable (under the
 * anonymised name). One transaction; one history row (source admin) records it. Proof files are
 * deleted after the commit, when `dataDir` is given.
 *
 * Erasing the history's free text is the one place history rows are rewritten: append-only keeps
 * the record of *what happened* (who, when, which status, attendance, points), and the right to
 * erasure wins over keeping a departed person's comments verbatim.
 */
export async function anonymiseUser(
  db: Db,
  actor: Actor,
  userId: string,
  options: { dataDir?: string; now?: Date } = {},
): Promise<AnonymiseResult> {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
  const at = nowIso(options.now);

  const write = async (trx: Db) => {
    const user = await getProfile(trx, userId);
    if (!user) throw new NotFoundOrNoAccess();
    if (user.id === actor.id) throw new AnonymiseRefused('notYourself');
    if (user.anonymised_at) throw new AnonymiseRefused('alreadyAnonymised');

    const name = nl.adminUsers.anonymisedName(anonymisedShortId(user.id));
    const email = `anonymised-${user.id.toLowerCase()}@${ANONYMISED_EMAIL_DOMAIN}`;
    const proofFiles = await listProofFileKeys(trx, user.id);
    const exemptionFiles = await listExemptionFileKeys(trx, user.id);

    await anonymiseUserRow(trx, user.id, { name, email, at });
    await deleteUserSessions(trx, user.id);
    await deleteFeed(trx, user.id);
    await deleteLoginAttemptsFor(trx, user.email);
    // E-mail to them, sent or waiting, holds their address: it goes, and nothing more is sent to them.
    await deleteMailTo(trx, user.id);
    await clearEnrolmentFreeText(trx, user.id, at);
    await clearParticipantReasons(trx, user.id);

    for (const row of await listFreeTextHistory(trx, user.id)) {
      const redacted =
        row.field === 'effort'
          ? { old_value: withoutEffortComment(row.old_value), new_value: withoutEffortComment(row.new_value) }
          : { old_value: null, new_value: null };
      if (redacted.old_value !== row.old_value || redacted.new_value !== row.new_value) await redactHistoryValues(trx, row.id, redacted);
    }

    await appendHistory(trx, [
      {
        id: newId(),
        at,
        actor_id: actor.id,
        source: 'admin',
        user_id: user.id,
        enrolment_id: null,
        run_id: null,
        meeting_id: null,
        field: 'enrolment',
        old_value: null,
        new_value: null,
        note: 'anonymised',
      },
    ]);
    return { name, email, proofFiles, exemptionFiles };
  };

  const done = await (db.isTransaction ? write(db) : db.transaction().execute(write));

  let proofFilesDeleted = 0;
  if (options.dataDir) {
    const files = [
      ...done.proofFiles.map((key) => path.join(proofDirectory(options.dataDir!), key)),
      ...done.exemptionFiles.map((key) => path.join(exemptionDirectory(options.dataDir!), key)),
    ];
    for (const file of files) {
      if (!PROOF_FILE_KEY.test(path.basename(file))) continue;
      try {
        await unlink(file);
        proofFilesDeleted += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  return { name: done.name, email: done.email, proofFilesDeleted };
}

import { expect, it } from 'vitest';
import type { Store } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeCertificate, makeRun, makeUser } from '../testing/factories.ts';
import { BulkRevocationRefused, findRevocableCertificates, previewBulkRevocation, revokeCertificatesInBulk } from './certificate-revocation.ts';
import { verifyCertificate } from './certificates.ts';

const NOW = new Date('2026-12-02T10:30:00.000Z');

/** A run with `holders` participants who completed it, each with a valid certificate. */
async function runWithCertificates(store: Store, holders: number, names: string[] = []) {
  const db = store.db;
  const teacher = await makeUser(db, ['teacher']);
  const run = await makeRun(db, { teacherId: teacher.id });
  const code = (await db.selectFrom('runs').select('code').where('id', '=', run.id).executeTakeFirstOrThrow()).code;
  const certificates = [];
  for (let i = 0; i < holders; i += 1) {
    const user = await makeUser(db, ['participant'], names[i]);
    const e = await enrol(db, run, user.id, { status: 'completed' });
    const cert = await makeCertificate(db, { enrolmentId: e.id, userId: user.id, courseId: run.courseId });
    certificates.push({ ...cert, enrolmentId: e.id, userId: user.id });
  }
  return { run, code, certificates };
}

async function refusalsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BulkRevocationRefused);
  return (error as BulkRevocationRefused).refusals;
}

describeEachDatabase('revoking many certificates at once', (store) => {
  const db = () => store().db;
  const admin = async () => actorOf(await makeUser(db(), ['admin']));
  const certificateRow = (id: string) => db().selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it("revokes every valid certificate of a run in one transaction: the verification page says revoked with the date, history keeps the reason, each holder is mailed", async () => {
    const actor = await admin();
    const target = await runWithCertificates(store(), 3);
    const other = await runWithCertificates(store(), 1);
    const found = await findRevocableCertificates(db(), actor, { run: target.code }, {});
    expect(found.total).toBe(3);

    const outcome = await revokeCertificatesInBulk(db(), actor, { filter: { run: target.code } }, '  Examen ongeldig verklaard  ', NOW);
    expect(outcome).toEqual({ revoked: 3 });
    for (const c of target.certificates) {
      expect(await verifyCertificate(db(), (await certificateRow(c.id)).verification_code)).toEqual({ kind: 'revoked', number: (await certificateRow(c.id)).number, revokedAt: NOW.toISOString() });
    }
    expect((await verifyCertificate(db(), (await certificateRow(other.certificates[0]!.id)).verification_code)).kind).toBe('valid');

    const history = await db()
      .selectFrom('history')
      .select(['enrolment_id', 'field', 'old_value', 'new_value', 'note', 'actor_id', 'source'])
      .where('enrolment_id', 'in', target.certificates.map((c) => c.enrolmentId))
      .execute();
    expect(history).toHaveLength(3);
    for (const h of history) expect(h).toMatchObject({ field: 'certificate', new_value: null, note: 'Examen ongeldig verklaard', actor_id: actor.id, source: 'admin' });

    const mail = await db()
      .selectFrom('outbox')
      .select(['recipient_user_id', 'kind', 'payload', 'state'])
      .where('recipient_user_id', 'in', target.certificates.map((c) => c.userId))
      .execute();
    expect(mail.map((m) => m.recipient_user_id).sort()).toEqual(target.certificates.map((c) => c.userId).sort());
    for (const m of mail) {
      expect(m).toMatchObject({ kind: 'certificate_revoked', state: 'pending' });
      expect(JSON.parse(m.payload)).toMatchObject({ reason: 'Examen ongeldig verklaard', revokedAt: NOW.toISOString() });
    }
    // Revoked certificates are no longer offered for revocation.
    expect((await findRevocableCertificates(db(), actor, { run: target.code }, {})).total).toBe(0);
  });

  it('revokes the certificates picked from a search by holder, and leaves one revoked meanwhile as it was', async () => {
    const actor = await admin();
    const { certificates } = await runWithCertificates(store(), 3, ['Zoë Van den Broeck', 'Jan Peeters', 'Zoë Janssens']);
    const found = await findRevocableCertificates(db(), actor, { q: 'zoë' }, {});
    expect(found.page.rows.map((r) => r.holder_name)).toEqual(['Zoë Janssens', 'Zoë Van den Broeck']);
    const earlier = '2026-11-01T08:00:00.000Z';
    await db().updateTable('certificates').set({ revoked_at: earlier }).where('id', '=', certificates[0]!.id).execute();

    const outcome = await revokeCertificatesInBulk(db(), actor, { ids: found.page.rows.map((r) => r.id) }, 'Fraude', NOW);
    expect(outcome).toEqual({ revoked: 1 });
    expect((await certificateRow(certificates[0]!.id)).revoked_at).toBe(earlier);
    expect((await certificateRow(certificates[2]!.id)).revoked_at).toBe(NOW.toISOString());
    expect((await certificateRow(certificates[1]!.id)).revoked_at).toBeNull();
  });

  it('refuses without a reason or without a valid certificate selected, and changes nothing', async () => {
    const actor = await admin();
    const { certificates } = await runWithCertificates(store(), 1);
    const ids = certificates.map((c) => c.id);
    expect(await refusalsOf(revokeCertificatesInBulk(db(), actor, { ids }, '   ', NOW))).toEqual(['reason_required']);
    expect(await refusalsOf(revokeCertificatesInBulk(db(), actor, { ids }, 'x'.repeat(501), NOW))).toEqual(['reason_too_long']);
    expect(await refusalsOf(revokeCertificatesInBulk(db(), actor, { ids: [] }, 'Fraude', NOW))).toEqual(['nothing_selected']);
    expect(await refusalsOf(revokeCertificatesInBulk(db(), actor, { filter: { q: 'niemand-heeft-deze-naam' } }, '', NOW))).toEqual(['reason_required', 'nothing_selected']);
    expect(await refusalsOf(previewBulkRevocation(db(), actor, { ids: [] }, ''))).toEqual(['reason_required', 'nothing_selected']);
    expect((await certificateRow(ids[0]!)).revoked_at).toBeNull();
    expect(await db().selectFrom('outbox').select('id').where('recipient_user_id', '=', certificates[0]!.userId).execute()).toEqual([]);
  });

  it('is for administrators only: anyone else learns nothing and changes nothing', async () => {
    const { certificates } = await runWithCertificates(store(), 1);
    const teacher = actorOf(await makeUser(db(), ['teacher']));
    await expect(revokeCertificatesInBulk(db(), teacher, { ids: [certificates[0]!.id] }, 'Fraude', NOW)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(findRevocableCertificates(db(), teacher, {}, {})).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    expect((await certificateRow(certificates[0]!.id)).revoked_at).toBeNull();
  });
});

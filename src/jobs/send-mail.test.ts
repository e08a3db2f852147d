import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../db/index.ts';
import { claimDueMessages } from '../repositories/outbox.ts';
import { createPasswordLink } from '../services/admin-users.ts';
import { cancelRun } from '../services/lifecycle.ts';
import { anonymiseUser } from '../services/privacy-anonymise.ts';
import { reportAbsence } from '../services/participant-actions.ts';
import { enrolInProgramme } from '../services/programme-enrolment.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../testing/factories.ts';
import { adminActorOf, makeProgramme, participantActorOf } from '../testing/lifecycle.ts';
import { startSmtpCapture, type SmtpCapture } from '../testing/smtp.ts';
import { teacherSaves } from '../testing/teacher-saves.ts';
import { sendDueMail } from './send-mail.ts';

const BASE_URL = 'https://presentia.example.org';
const COURSE = 'Eerste hulp op de werkvloer';

describeEachDatabase('e-mail through the outbox', (store: () => Store) => {
  const db = () => store().db;
  let smtp: SmtpCapture;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
  });
  afterAll(async () => {
    await smtp.close();
  });

  const send = (options: { clock?: () => Date; worker?: string } = {}) => sendDueMail(db(), { mailer: smtp.mailer(), baseUrl: BASE_URL, ...options });
  const emailOf = async (id: string) => (await db().selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
  const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));
  const outboxTo = (userId: string) => db().selectFrom('outbox').selectAll().where('recipient_user_id', '=', userId).orderBy('id').execute();
  const speaksEnglish = (id: string) => db().updateTable('users').set({ locale: 'en' }).where('id', '=', id).execute();

  async function classroom(meetingDays = [-7, 14]) {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays });
    const participant = await makeUser(db(), ['participant'], 'Ayşe Yılmaz');
    const enrolment = await enrol(db(), run, participant.id);
    return { teacher, run, participant, enrolment };
  }

  it('a certificate issued by the save is mailed to its holder after the commit, in their language, with its PDF', async () => {
    const { teacher, run, participant, enrolment } = await classroom([-7]);
    await speaksEnglish(participant.id);
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'completed' });
    // Written in the save's transaction, not sent yet: the save did not wait for any mail server.
    const queued = await outboxTo(participant.id);
    expect(queued).toMatchObject([{ kind: 'certificate_issued', state: 'pending', locale: 'en', attempts: 0 }]);
    expect(mailsTo(await emailOf(participant.id))).toEqual([]);

    expect(await send()).toMatchObject({ sent: 1, failed: 0 });
    const certificate = await db().selectFrom('certificates').select(['number', 'verification_code']).where('enrolment_id', '=', enrolment.id).executeTakeFirstOrThrow();
    const [mail, ...more] = mailsTo(await emailOf(participant.id));
    expect(more).toEqual([]);
    expect(mail!.parsed.subject).toBe(`Your certificate for ${COURSE}`);
    expect(mail!.parsed.text).toContain(`Your certificate ${certificate.number} is attached`);
    expect(mail!.parsed.text).toContain(`${BASE_URL}/verify/${certificate.verification_code}`);
    expect(mail!.parsed.attachments).toHaveLength(1);
    expect(mail!.parsed.attachments[0]).toMatchObject({ filename: `certificate-${certificate.number}.pdf`, contentType: 'application/pdf' });
    expect(mail!.parsed.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await outboxTo(participant.id)).toMatchObject([{ state: 'sent', attempts: 1, claimed_by: null }]);
  });

  it('a certificate revoked by leaving Voltooid is mailed to its holder in Dutch by default', async () => {
    const { teacher, run, participant, enrolment } = await classroom([-7]);
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'completed' });
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'failed' });
    expect((await outboxTo(participant.id)).map((m) => m.kind)).toEqual(['certificate_issued', 'certificate_revoked']);
    await send();
    const mails = mailsTo(await emailOf(participant.id));
    // The certificate was revoked before its mail went out: that mail no longer applies and is skipped.
    expect(mails.map((m) => m.parsed.subject)).toEqual([`Je certificaat voor ${COURSE} is ingetrokken`]);
    expect(mails[0]!.parsed.text).toMatch(/Je certificaat PRS-\d{4}-\w{8} voor Eerste hulp op de werkvloer werd op .+ ingetrokken en geldt niet meer\./);
    expect((await outboxTo(participant.id)).map((m) => m.state)).toEqual(['skipped', 'sent']);
  });

  it("a cancelled run is mailed to its participants whose enrolment was cancelled and to its teachers, with the reason", async () => {
    const { teacher, run, participant } = await classroom([10, 17]);
    const finished = await makeUser(db());
    await enrol(db(), run, finished.id, { status: 'withdrawn_valid' });
    await speaksEnglish(teacher.id);
    const admin = await makeUser(db(), ['admin']);
    await cancelRun(db(), adminActorOf(admin), run.id, 'De lesgever is ziek');
    await send();
    const toParticipant = mailsTo(await emailOf(participant.id));
    expect(toParticipant).toHaveLength(1);
    expect(toParticipant[0]!.parsed.subject).toMatch(/^Geannuleerd: Eerste hulp op de werkvloer \(R-/);
    expect(toParticipant[0]!.parsed.text).toContain('Je inschrijving heeft nu de status Geannuleerd.');
    expect(toParticipant[0]!.parsed.text).toContain('Reden: De lesgever is ziek');
    const toTeacher = mailsTo(await emailOf(teacher.id));
    expect(toTeacher).toHaveLength(1);
    expect(toTeacher[0]!.parsed.subject).toMatch(/^Cancelled: Eerste hulp op de werkvloer \(R-/);
    expect(toTeacher[0]!.parsed.text).toContain('which you were to teach');
    expect(mailsTo(await emailOf(finished.id))).toEqual([]);
  });

  it('enrolling in a programme where a run must be chosen mails the participant which courses wait for a choice', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const a = await makeRun(db(), { teacherId: teacher.id, meetingDays: [10] });
    await makeRun(db(), { teacherId: teacher.id, meetingDays: [30], courseId: a.courseId });
    const single = await makeRun(db(), { teacherId: teacher.id, meetingDays: [12] });
    const programme = await makeProgramme(db(), [a.courseId, single.courseId], 'Preventieadviseur');
    const admin = await makeUser(db(), ['admin']);
    const user = await makeUser(db());
    await enrolInProgramme(db(), adminActorOf(admin), { userId: user.id, programmeId: programme.id });
    await send();
    const mails = mailsTo(await emailOf(user.id));
    expect(mails.map((m) => m.parsed.subject)).toEqual(['Kies je uitvoering: Preventieadviseur']);
    expect(mails[0]!.parsed.text).toContain(`(Uitvoeringskeuze vereist):\n- ${COURSE}\n`);
    expect(mails[0]!.parsed.text).toContain(`${BASE_URL}/me/enrolments`);
  });

  it('a new password link is mailed to the person; its token is kept only until the mail is sent', async () => {
    const admin = await makeUser(db(), ['admin']);
    const user = await makeUser(db());
    await speaksEnglish(user.id);
    const link = await createPasswordLink(db(), adminActorOf(admin), user.id);
    expect((await outboxTo(user.id))[0]!.secret).not.toBeNull();
    await send();
    const mails = mailsTo(await emailOf(user.id));
    expect(mails.map((m) => m.parsed.subject)).toEqual(['Choose your Presentia password']);
    expect(mails[0]!.parsed.text).toContain(`${BASE_URL}${link.passwordPath}`);
    expect(await outboxTo(user.id)).toMatchObject([{ state: 'sent', secret: null }]);
  });

  it("an absence reported by a participant is mailed to the run's teachers", async () => {
    const { teacher, run, participant, enrolment } = await classroom([-7, 14]);
    const future = run.meetings[1]!;
    expect(await reportAbsence(db(), participantActorOf(participant), { enrolmentId: enrolment.id, meetingId: future.id, reason: 'Huwelijk van mijn zus' })).toEqual({ ok: true });
    // Changing the reason afterwards does not mail the teachers again.
    expect(await reportAbsence(db(), participantActorOf(participant), { enrolmentId: enrolment.id, meetingId: future.id, reason: 'Huwelijk van mijn broer' })).toEqual({ ok: true });
    await send();
    const mails = mailsTo(await emailOf(teacher.id));
    expect(mails.map((m) => m.parsed.subject)).toEqual([`Afwezigheid gemeld: Ayşe Yılmaz, ${COURSE}`]);
    expect(mails[0]!.parsed.text).toContain('Reden: Huwelijk van mijn zus');
    expect(mails[0]!.parsed.text).toContain(`${BASE_URL}/teacher/runs/${run.id}`);
    expect(mailsTo(await emailOf(participant.id))).toEqual([]);
  });

  it('a change that is rolled back leaves no mail in the outbox', async () => {
    const { run, participant, teacher } = await classroom([10]);
    const admin = await makeUser(db(), ['admin']);
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await cancelRun(trx, adminActorOf(admin), run.id, 'Te weinig inschrijvingen');
          expect(await trx.selectFrom('outbox').select('id').where('recipient_user_id', '=', participant.id).execute()).toHaveLength(1);
          throw new Error('a later step of the same change failed');
        }),
    ).rejects.toThrow('a later step');
    expect(await outboxTo(participant.id)).toEqual([]);
    expect(await outboxTo(teacher.id)).toEqual([]);
    expect((await db().selectFrom('runs').select('cancelled_at').where('id', '=', run.id).executeTakeFirstOrThrow()).cancelled_at).toBeNull();
  });

  it('a server that refuses the first attempts gets the mail later, once, after waits that double; every attempt is recorded', async () => {
    await send(); // nothing of earlier tests left due
    const admin = await makeUser(db(), ['admin']);
    const user = await makeUser(db());
    await createPasswordLink(db(), adminActorOf(admin), user.id);
    const [message] = await outboxTo(user.id);
    let now = new Date(Date.now() + 1000);
    const clock = () => now;
    smtp.refuseNext(2);
    const tried = smtp.deliveriesTried;

    expect(await send({ clock })).toMatchObject({ sent: 0, retrying: 1 });
    const first = (await outboxTo(user.id))[0]!;
    expect(first).toMatchObject({ state: 'pending', attempts: 1 });
    expect(first.last_error).toMatch(/451/);
    expect(Date.parse(first.next_attempt_at) - now.getTime()).toBe(30_000);

    expect(await send({ clock })).toMatchObject({ sent: 0, retrying: 0 }); // not due yet: nothing tried
    now = new Date(now.getTime() + 30_000);
    expect(await send({ clock })).toMatchObject({ sent: 0, retrying: 1 });
    expect(Date.parse((await outboxTo(user.id))[0]!.next_attempt_at) - now.getTime()).toBe(60_000);
    now = new Date(now.getTime() + 60_000);
    expect(await send({ clock })).toMatchObject({ sent: 1 });
    expect(await send({ clock: () => new Date(now.getTime() + 3_600_000) })).toMatchObject({ sent: 0 });

    expect(smtp.deliveriesTried - tried).toBe(3);
    expect(mailsTo(await emailOf(user.id))).toHaveLength(1);
    const attempts = await db().selectFrom('outbox_attempts').select(['attempt', 'outcome', 'error']).where('message_id', '=', message!.id).orderBy('attempt').execute();
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'sent'],
    ]);
    expect(attempts[0]!.error).toMatch(/451/);
    expect(await outboxTo(user.id)).toMatchObject([{ state: 'sent', attempts: 3, secret: null }]);
  });

  it('a mail committed before a stop is sent by the worker after the restart, once; a claim of a stopped worker runs out first', async () => {
    await send();
    const admin = await makeUser(db(), ['admin']);
    const user = await makeUser(db());
    // The change commits; the process stops before any worker ran (nothing was sent).
    await createPasswordLink(db(), adminActorOf(admin), user.id);
    expect(await outboxTo(user.id)).toMatchObject([{ state: 'pending', attempts: 0 }]);
    // After the restart, a new worker sends it; running again sends nothing more.
    expect(await send({ worker: 'after-restart' })).toMatchObject({ sent: 1 });
    expect(await send({ worker: 'after-restart' })).toMatchObject({ sent: 0 });
    expect(mailsTo(await emailOf(user.id))).toHaveLength(1);

    // A worker that stopped after claiming a mail, before sending it: nobody else sends it while the
    // claim runs, and another worker sends it, once, when the claim has run out.
    const other = await makeUser(db());
    await createPasswordLink(db(), adminActorOf(admin), other.id);
    const now = new Date(Date.now() + 1000);
    const claimed = await claimDueMessages(db(), { channel: 'mail', worker: 'stopped', now: now.toISOString(), until: new Date(now.getTime() + 300_000).toISOString(), limit: 100 });
    expect(claimed.map((m) => m.recipient_user_id)).toContain(other.id);
    expect(await send({ worker: 'second', clock: () => now })).toMatchObject({ sent: 0 });
    expect(await send({ worker: 'second', clock: () => new Date(now.getTime() + 301_000) })).toMatchObject({ sent: 1 });
    expect(mailsTo(await emailOf(other.id))).toHaveLength(1);
    expect(await outboxTo(other.id)).toMatchObject([{ state: 'sent', attempts: 2 }]);
  });

  it('anonymising a person removes the e-mail to them, waiting or sent, so nothing more goes to their address', async () => {
    const admin = await makeUser(db(), ['admin']);
    const user = await makeUser(db());
    const email = await emailOf(user.id);
    await createPasswordLink(db(), adminActorOf(admin), user.id);
    await send();
    await createPasswordLink(db(), adminActorOf(admin), user.id);
    expect((await outboxTo(user.id)).map((m) => m.state)).toEqual(['sent', 'pending']);
    await anonymiseUser(db(), adminActorOf(admin), user.id);
    expect(await outboxTo(user.id)).toEqual([]);
    expect(await db().selectFrom('outbox').select('id').where('recipient', '=', email).execute()).toEqual([]);
    await send();
    expect(mailsTo(email)).toHaveLength(1);
  });

  it('two workers at once send each mail once', async () => {
    await send();
    const admin = await makeUser(db(), ['admin']);
    const users = [];
    for (let i = 0; i < 6; i += 1) users.push(await makeUser(db()));
    for (const u of users) await createPasswordLink(db(), adminActorOf(admin), u.id);
    const outcomes = await Promise.all([send({ worker: 'one' }), send({ worker: 'two' })]);
    expect(outcomes.reduce((n, o) => n + o.sent, 0)).toBe(6);
    for (const u of users) expect(mailsTo(await emailOf(u.id))).toHaveLength(1);
  });
});

import { expect, it } from 'vitest';
import { decodeSeen } from '../domain/registration/seen.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, enrolMany, makeRun, makeUser } from '../testing/factories.ts';
import type { Actor } from './actor.ts';
import {
  RegistrationConflict,
  RegistrationRefused,
  registerAttendance,
  type RegistrationInput,
  type RowInput,
} from './register-attendance.ts';
import { getParticipantsView } from './teacher-runs.ts';

/**
 * The save's rules as issue 8 found them broken: R2 with "alle bijeenkomsten" and meetings still to
 * come, corrections of statuses no longer active (R1), the withdrawal date (R4), certificate points
 * of this run (R3, R5), value-level conflicts (R11) and the summary. Rows are sent as the
 * participants page sends them: with what the page showed of each row.
 */

const DAY = 86_400_000;
const dayFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

function save(runId: string, rows: RowInput[], extra: Partial<RegistrationInput> = {}): RegistrationInput {
  return { runId, meetingIds: [], allMeetings: false, ignoreMaximum: false, confirmEarlyCompletion: false, confirmOverwrites: false, rows, ...extra };
}

describeEachDatabase('the save\'s rules (issue 8)', (store) => {
  const db = () => store().db;

  /** A row of the page as loaded now by `actor`, with the values the teacher enters. */
  async function pageRows(actor: Actor, runId: string) {
    const view = await getParticipantsView(db(), actor, runId);
    const meetingIds = view.seenMeetings === '' ? [] : view.seenMeetings.split(',');
    const rows = new Map<string, (extra?: Partial<RowInput>) => RowInput>();
    for (const r of [...view.active, ...view.inactive]) {
      rows.set(r.enrolmentId, (extra = {}) => ({
        enrolmentId: r.enrolmentId,
        version: r.version,
        seen: decodeSeen(r.seen, meetingIds),
        present: false,
        status: null,
        effort: r.effort,
        effortComment: r.effortComment ?? '',
        proofNote: '',
        proofFile: null,
        ...extra,
      }));
    }
    return { view, row: (id: string, extra?: Partial<RowInput>) => rows.get(id)!(extra), all: (extra: (id: string) => Partial<RowInput> = () => ({})) => [...rows.keys()].map((id) => rows.get(id)!(extra(id))) };
  }

  async function classroom(meetingDays: number[], participants = 2, options: { points?: number; maxPoints?: number } = {}) {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays, ...options });
    const ids = await enrolMany(db(), run, participants);
    return { teacher, actor: actorOf(teacher), run, ids };
  }

  const enrolment = (id: string) => db().selectFrom('enrolments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const attendanceOf = (id: string) => db().selectFrom('attendance').selectAll().where('enrolment_id', '=', id).execute();
  const certificatesOf = (id: string) => db().selectFrom('certificates').selectAll().where('enrolment_id', '=', id).execute();
  const statusHistory = (id: string) =>
    db().selectFrom('history').select(['old_value', 'new_value', 'note', 'actor_id']).where('enrolment_id', '=', id).where('field', '=', 'status').orderBy('id').execute();

  // Defect 1 (R2) --------------------------------------------------------------------------------

  it('asks for confirmation before Voltooid with "alle bijeenkomsten" in the middle of a run, and records only started meetings', async () => {
    const { actor, run, ids } = await classroom([-7, -1, 7]);
    const page = await pageRows(actor, run.id);
    const input = save(run.id, [page.row(ids[0]!, { present: true, status: 'completed' })], { allMeetings: true });
    const first = await registerAttendance(db(), actor, input);
    expect(first).toMatchObject({ kind: 'confirm', earlyCompletions: [{ enrolmentId: ids[0] }] });
    expect(await certificatesOf(ids[0]!)).toEqual([]);
    expect(await attendanceOf(ids[0]!)).toEqual([]);

    const saved = await registerAttendance(db(), actor, { ...input, confirmEarlyCompletion: true });
    expect(saved).toMatchObject({ kind: 'saved', summary: { meetings: 2, attendanceChanged: 2, pointsCredited: 2 } });
    const recorded = await attendanceOf(ids[0]!);
    expect(recorded.map((a) => a.meeting_id).sort()).toEqual([run.meetings[0]!.id, run.meetings[1]!.id].sort());
    expect(recorded.every((a) => a.present === 1)).toBe(true);
  });

  it('asks for confirmation before Voltooid when a meeting still to come is chosen', async () => {
    const { actor, run, ids } = await classroom([-7, 7]);
    const page = await pageRows(actor, run.id);
    const out = await registerAttendance(db(), actor, save(run.id, [page.row(ids[0]!, { status: 'completed' })], { meetingIds: [run.meetings[1]!.id] }));
    expect(out).toMatchObject({ kind: 'confirm', earlyCompletions: [{ enrolmentId: ids[0] }] });
    expect((await enrolment(ids[0]!)).status).toBe('enrolled');
  });

  it('refuses presence at a meeting that has not started, naming it, but records an absence in advance', async () => {
    const { actor, run, ids } = await classroom([-7, 7]);
    const future = run.meetings[1]!;
    const page = await pageRows(actor, run.id);
    const refused = await registerAttendance(
      db(),
      actor,
      save(run.id, [page.row(ids[0]!, { present: true }), page.row(ids[1]!)], { meetingIds: [future.id] }),
    ).catch((e) => e);
    expect(refused).toBeInstanceOf(RegistrationRefused);
    expect((refused as RegistrationRefused).notStarted.map((m) => m.id)).toEqual([future.id]);
    expect(await attendanceOf(ids[0]!)).toEqual([]);
    expect(await attendanceOf(ids[1]!)).toEqual([]);

    const absent = await registerAttendance(db(), actor, save(run.id, [page.row(ids[1]!)], { meetingIds: [future.id] }));
    expect(absent).toMatchObject({ kind: 'saved', summary: { attendanceChanged: 1 } });
    expect(await attendanceOf(ids[1]!)).toMatchObject([{ meeting_id: future.id, present: 0, study_points: 0 }]);
  });

  // Defect 2 (R1 corrections) --------------------------------------------------------------------

  it('lets a teacher correct a withdrawal they set themselves, after the same confirmation as an overwrite', async () => {
    const { actor, run, ids } = await classroom([-7, 7]);
    let page = await pageRows(actor, run.id);
    await registerAttendance(db(), actor, save(run.id, [page.row(ids[0]!, { status: 'withdrawn_invalid' })]));
    expect((await enrolment(ids[0]!)).status).toBe('withdrawn_invalid');

    page = await pageRows(actor, run.id);
    expect(page.view.inactive[0]!.correction).toMatchObject({ previous: 'enrolled', needsReason: false });
    const input = save(run.id, [page.row(ids[0]!, { status: 'enrolled' })]);
    const asked = await registerAttendance(db(), actor, input);
    expect(asked).toMatchObject({ kind: 'confirm', corrections: [{ enrolmentId: ids[0], from: 'withdrawn_invalid', to: 'enrolled' }] });
    expect((await enrolment(ids[0]!)).status).toBe('withdrawn_invalid');

    await registerAttendance(db(), actor, { ...input, confirmOverwrites: true });
    expect(await enrolment(ids[0]!)).toMatchObject({ status: 'enrolled', withdrawn_on: null });
    expect((await statusHistory(ids[0]!)).map((h) => [h.old_value, h.new_value])).toEqual([
      ['enrolled', 'withdrawn_invalid'],
      ['withdrawn_invalid', 'enrolled'],
    ]);
  });

  it('refuses a teacher\'s correction of a withdrawal someone else set, or once the run is finished', async () => {
    const { actor, run, ids } = await classroom([-7, 7]);
    const colleague = actorOf(await makeUser(db(), ['teacher']));
    await db().insertInto('run_teachers').values({ run_id: run.id, user_id: colleague.id }).execute();
    let page = await pageRows(colleague, run.id);
    await registerAttendance(db(), colleague, save(run.id, [page.row(ids[0]!, { status: 'withdrawn_invalid' })]));
    page = await pageRows(actor, run.id);
    expect(page.view.inactive[0]!.correction).toBeNull();
    const refused = (await registerAttendance(db(), actor, save(run.id, [page.row(ids[0]!, { status: 'enrolled' })], { confirmOverwrites: true })).catch((e) => e)) as RegistrationRefused;
    expect(refused.rowErrors.get(ids[0]!)).toEqual(['correction_not_allowed']);

    const past = await classroom([-20, -10]);
    page = await pageRows(past.actor, past.run.id);
    await registerAttendance(db(), past.actor, save(past.run.id, [page.row(past.ids[0]!, { status: 'withdrawn_invalid' })]));
    await db().updateTable('runs').set({ ends_on: dayFromNow(-1) }).where('id', '=', past.run.id).execute();
    page = await pageRows(past.actor, past.run.id);
    const late = (await registerAttendance(db(), past.actor, save(past.run.id, [page.row(past.ids[0]!, { status: 'enrolled' })], { confirmOverwrites: true })).catch((e) => e)) as RegistrationRefused;
    expect(late.rowErrors.get(past.ids[0]!)).toEqual(['correction_not_allowed']);
  });

  it('lets an administrator change any final status, with the reason in the history', async () => {
    const { run, ids } = await classroom([-7, -1]);
    const admin = actorOf(await makeUser(db(), ['admin']));
    await db().updateTable('enrolments').set({ status: 'exempted' }).where('id', '=', ids[0]!).execute();
    let page = await pageRows(admin, run.id);
    expect(page.view.inactive[0]!.correction).toMatchObject({ needsReason: true });
    const noReason = (await registerAttendance(db(), admin, save(run.id, [page.row(ids[0]!, { status: 'completed' })], { confirmOverwrites: true })).catch((e) => e)) as RegistrationRefused;
    expect(noReason.rowErrors.get(ids[0]!)).toEqual(['reason_required']);

    page = await pageRows(admin, run.id);
    const out = await registerAttendance(db(), admin, save(run.id, [page.row(ids[0]!, { status: 'completed', reason: 'Vrijstelling ten onrechte' })], { confirmOverwrites: true }));
    expect(out).toMatchObject({ kind: 'saved', summary: { statusesChanged: 1, certificatesIssued: 1 } });
    expect(await statusHistory(ids[0]!)).toMatchObject([{ old_value: 'exempted', new_value: 'completed', note: 'Vrijstelling ten onrechte', actor_id: admin.id }]);
  });

  // Defect 4 (R4 withdrawal date) ------------------------------------------------------------------

  it('judges R4 on the withdrawal date entered, refuses one in the future or before the enrolment, and stores it', async () => {
    const { actor, run, ids } = await classroom([10, 17], 3);
    await db().updateTable('enrolments').set({ enrolled_at: `${dayFromNow(-40)}T08:00:00.000Z` }).where('run_id', '=', run.id).execute();
    const page = await pageRows(actor, run.id);
    const refused = (await registerAttendance(
      db(),
      actor,
      save(run.id, [
        page.row(ids[0]!, { status: 'withdrawn_invalid', withdrawnOn: dayFromNow(1) }),
        page.row(ids[1]!, { status: 'withdrawn_invalid', withdrawnOn: dayFromNow(-41) }),
      ]),
    ).catch((e) => e)) as RegistrationRefused;
    expect(refused.rowErrors.get(ids[0]!)).toEqual(['withdrawal_date_future']);
    expect(refused.rowErrors.get(ids[1]!)).toEqual(['withdrawal_date_before_enrolment']);

    // Withdrew 20 days ago, the run starts in 10: 30 days' notice, valid without proof.
    const out = await registerAttendance(db(), actor, save(run.id, [page.row(ids[2]!, { status: 'withdrawn_valid', withdrawnOn: dayFromNow(-20) })]));
    expect(out.kind).toBe('saved');
    expect(await enrolment(ids[2]!)).toMatchObject({ status: 'withdrawn_valid', withdrawn_on: dayFromNow(-20) });
  });

  // Defect 6 (R3, R5 certificate points) -----------------------------------------------------------

  it('states on the certificate the points credited in this run only, capped by the course maximum', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const earlier = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-60, -59], points: 2, maxPoints: 10 });
    const run = await makeRun(db(), { teacherId: teacher.id, courseId: earlier.courseId, meetingDays: [-2, -1], points: 1.5, maxPoints: 10 });
    const user = await makeUser(db());
    const before = await enrol(db(), earlier, user.id);
    const now = await enrol(db(), run, user.id);
    const actor = actorOf(teacher);
    let page = await pageRows(actor, earlier.id);
    await registerAttendance(db(), actor, save(earlier.id, [page.row(before.id, { present: true, status: 'failed' })], { allMeetings: true }));
    page = await pageRows(actor, run.id);
    await registerAttendance(db(), actor, save(run.id, [page.row(now.id, { present: true, status: 'completed' })], { allMeetings: true }));
    const [certificate] = await certificatesOf(now.id);
    expect(certificate!.study_points).toBe(3);
  });

  // Defect 7 (R11 per value) -----------------------------------------------------------------------

  it('saves all of sixteen sessions that each change a different participant\'s effort at once', async () => {
    const { run, ids } = await classroom([-7, -1], 16);
    const sessions = [];
    for (let i = 0; i < 16; i += 1) {
      const teacher = actorOf(await makeUser(db(), ['teacher']));
      await db().insertInto('run_teachers').values({ run_id: run.id, user_id: teacher.id }).execute();
      sessions.push({ teacher, page: await pageRows(teacher, run.id) });
    }
    const results = await Promise.allSettled(
      sessions.map(({ teacher, page }, i) =>
        registerAttendance(db(), teacher, save(run.id, page.all((id) => (id === ids[i] ? { effort: 'good', effortComment: `Sessie ${i}` } : {})))),
      ),
    );
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.kind : String(r.reason)))).toEqual(Array(16).fill('saved'));
    const rows = await db().selectFrom('enrolments').select(['id', 'effort', 'effort_comment', 'version']).where('run_id', '=', run.id).execute();
    for (const [i, id] of ids.entries()) expect(rows.find((r) => r.id === id)).toMatchObject({ effort: 'good', effort_comment: `Sessie ${i}`, version: 2 });
  });

  it('merges a change of another value of the same participant, and reports the same value changed by a colleague', async () => {
    const { actor, run, ids } = await classroom([-7, -1]);
    const colleague = actorOf(await makeUser(db(), ['admin']));
    const mine = await pageRows(actor, run.id);
    const theirs = await pageRows(colleague, run.id);
    await registerAttendance(db(), colleague, save(run.id, [theirs.row(ids[0]!, { effort: 'excellent', effortComment: 'Van collega' })]));

    // A status of the same participant merges with the colleague's effort.
    const merged = await registerAttendance(db(), actor, save(run.id, [mine.row(ids[0]!, { status: 'failed' })]));
    expect(merged.kind).toBe('saved');
    expect(await enrolment(ids[0]!)).toMatchObject({ status: 'failed', effort: 'excellent', effort_comment: 'Van collega' });

    // The same value is a conflict: nothing of the save is written, and both values are reported.
    const input = save(run.id, [mine.row(ids[0]!, { effort: 'sufficient', effortComment: 'Van mij' }), mine.row(ids[1]!, { status: 'absent' })]);
    const conflict = (await registerAttendance(db(), actor, input).catch((e) => e)) as RegistrationConflict;
    expect(conflict).toBeInstanceOf(RegistrationConflict);
    expect(conflict.conflicts).toMatchObject([
      { enrolmentId: ids[0], key: 'effort', theirs: { effort: 'excellent', comment: 'Van collega' }, mine: { effort: 'sufficient', comment: 'Van mij' } },
    ]);
    expect((await enrolment(ids[1]!)).status).toBe('enrolled');

    // Choosing the colleague's value keeps it and saves the rest; choosing mine needs the value shown.
    const keepTheirs = { ...input, rows: [{ ...input.rows[0]!, resolutions: new Map([['effort', { choice: 'theirs' as const }]]) }, input.rows[1]!] };
    await registerAttendance(db(), actor, keepTheirs);
    expect(await enrolment(ids[0]!)).toMatchObject({ effort: 'excellent', effort_comment: 'Van collega' });
    expect((await enrolment(ids[1]!)).status).toBe('absent');

    const stale = { ...input, rows: [{ ...input.rows[0]!, resolutions: new Map([['effort', { choice: 'mine' as const, over: 'ffffffff' }]]) }] };
    expect(await registerAttendance(db(), actor, stale).catch((e) => e)).toBeInstanceOf(RegistrationConflict);
    const keepMine = { ...input, rows: [{ ...input.rows[0]!, resolutions: new Map([['effort', { choice: 'mine' as const, over: conflict.conflicts[0]!.fingerprint }]]) }] };
    await registerAttendance(db(), actor, keepMine);
    expect(await enrolment(ids[0]!)).toMatchObject({ effort: 'sufficient', effort_comment: 'Van mij' });
  });

  it('reports attendance a colleague recorded at the same meeting, with both values', async () => {
    const { actor, run, ids } = await classroom([-7, -1]);
    const colleague = actorOf(await makeUser(db(), ['admin']));
    const mine = await pageRows(actor, run.id);
    const theirs = await pageRows(colleague, run.id);
    const m0 = run.meetings[0]!.id;
    await registerAttendance(db(), colleague, save(run.id, [theirs.row(ids[0]!, { present: true })], { meetingIds: [m0] }));
    const conflict = (await registerAttendance(db(), actor, save(run.id, mine.all(), { meetingIds: [m0] })).catch((e) => e)) as RegistrationConflict;
    expect(conflict.conflicts).toMatchObject([
      { enrolmentId: ids[0], key: `attendance.${m0}`, theirs: { state: 'present', points: 1 }, mine: { state: 'absent' } },
    ]);
    expect(await attendanceOf(ids[1]!)).toEqual([]);
  });

  // Defect 9 (summary) -----------------------------------------------------------------------------

  it('counts removed points apart from credited ones, and a proof note as a change', async () => {
    const { actor, run, ids } = await classroom([-7, -1], 1, { points: 2 });
    let page = await pageRows(actor, run.id);
    await registerAttendance(db(), actor, save(run.id, [page.row(ids[0]!, { present: true })], { meetingIds: [run.meetings[0]!.id] }));
    page = await pageRows(actor, run.id);
    const removed = await registerAttendance(db(), actor, save(run.id, [page.row(ids[0]!)], { meetingIds: [run.meetings[0]!.id], confirmOverwrites: true }));
    expect(removed).toMatchObject({ kind: 'saved', summary: { pointsCredited: 0, pointsRemoved: 2 } });
    page = await pageRows(actor, run.id);
    const proof = await registerAttendance(db(), actor, save(run.id, [page.row(ids[0]!, { proofNote: 'Attest van de huisarts gezien' })]));
    expect(proof).toMatchObject({ kind: 'saved', summary: { proofsRecorded: 1 } });
  });
});

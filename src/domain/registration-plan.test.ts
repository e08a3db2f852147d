import { describe, expect, it } from 'vitest';
import { planRegistration, type PlanAttendance, type PlanEnrolment, type RegistrationInput, type RegistrationState, type RowInput } from './registration-plan.ts';
import { cellFingerprint, decodeSeen, effortFingerprint, encodeSeen } from './registration/seen.ts';

/** The planner on state built in memory: no database. The save happens on 2026-03-10 at 12:00 UTC. */
const NOW = '2026-03-10T12:00:00.000Z';
let ids = 0;
const gen = { newId: () => `ID${String((ids += 1)).padStart(4, '0')}`, certificateNumber: () => 'PRS-2026-TEST0001', verificationCode: () => 'CODE' };

const meetings = [
  { id: 'M1', starts_at: '2026-03-01T09:00:00.000Z', ends_at: '2026-03-01T12:00:00.000Z', study_points: 2 },
  { id: 'M2', starts_at: '2026-03-10T09:00:00.000Z', ends_at: '2026-03-10T12:00:00.000Z', study_points: 2 },
  { id: 'M3', starts_at: '2026-03-20T09:00:00.000Z', ends_at: '2026-03-20T12:00:00.000Z', study_points: 2 },
];

function enrolment(id: string, extra: Partial<PlanEnrolment> = {}): PlanEnrolment {
  return {
    id, user_id: `U${id}`, course_id: 'C', run_id: 'R', programme_id: null, status: 'enrolled', status_changed_at: '2026-01-01T00:00:00.000Z',
    enrolled_at: '2026-01-05T10:00:00.000Z', term_ends_on: null, withdrawn_on: null, force_majeure_note: null, force_majeure_file: null, exemption_reason: null, exemption_file: null, withdrawal_reason: null,
    effort: null, effort_comment: null, version: 1, updated_at: '2026-01-01T00:00:00.000Z', user_name: `Naam ${id}`, ...extra,
  };
}

function state(extra: Partial<RegistrationState> = {}): RegistrationState {
  return {
    actor: { id: 'T', roles: ['teacher'], source: 'teacher_form' },
    now: NOW,
    run: { id: 'R', course_id: 'C', starts_on: '2026-03-01', ends_on: '2026-03-20', cancelled_at: null, max_study_points: 5 },
    meetings,
    enrolments: [enrolment('A'), enrolment('B')],
    attendance: [],
    creditedElsewhere: new Map(),
    lastStatusChanges: new Map(),
    storedProofs: [],
    ...extra,
  };
}

function row(id: string, extra: Partial<RowInput> = {}): RowInput {
  return { enrolmentId: id, version: 1, present: false, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null, ...extra };
}

function input(rows: RowInput[], extra: Partial<RegistrationInput> = {}): RegistrationInput {
  return { runId: 'R', meetingIds: [], allMeetings: false, ignoreMaximum: false, confirmEarlyCompletion: false, confirmOverwrites: false, rows, ...extra };
}

describe('the registration planner', () => {
  it('applies "alle bijeenkomsten" to started meetings only and asks before Voltooid while the last is to come (R2)', () => {
    const plan = planRegistration(state(), input([row('A', { present: true, status: 'completed' })], { allMeetings: true }), gen);
    expect(plan).toMatchObject({ kind: 'confirm', earlyCompletions: [{ enrolmentId: 'A' }] });
    const saved = planRegistration(state(), input([row('A', { present: true, status: 'completed' })], { allMeetings: true, confirmEarlyCompletion: true }), gen);
    if (saved.kind !== 'write') throw new Error(saved.kind);
    expect(saved.writes.attendance.map((a) => a.meeting_id)).toEqual(['M1', 'M2']);
  });

  it('refuses presence at a meeting to come and names it; an absence in advance is fine (R2)', () => {
    const plan = planRegistration(state(), input([row('A', { present: true }), row('B')], { meetingIds: ['M3'] }), gen);
    expect(plan).toMatchObject({ kind: 'refused', notStarted: [{ id: 'M3' }] });
    expect(planRegistration(state(), input([row('B')], { meetingIds: ['M3'] }), gen).kind).toBe('write');
  });

  it('lets a teacher correct only a withdrawal they set, while the run runs; an administrator with a reason (R1)', () => {
    const withdrawn = state({ enrolments: [enrolment('A', { status: 'withdrawn_invalid', withdrawn_on: '2026-03-05' })], lastStatusChanges: new Map([['A', { actorId: 'T', from: 'enrolled' }]]) });
    expect(planRegistration(withdrawn, input([row('A', { status: 'enrolled' })]), gen)).toMatchObject({ kind: 'confirm', corrections: [{ from: 'withdrawn_invalid', to: 'enrolled' }] });
    const done = planRegistration(withdrawn, input([row('A', { status: 'enrolled' })], { confirmOverwrites: true }), gen);
    if (done.kind !== 'write') throw new Error(done.kind);
    expect(done.writes.enrolments[0]).toMatchObject({ status: 'enrolled', withdrawn_on: null, version: 2 });

    const byOther = { ...withdrawn, lastStatusChanges: new Map([['A', { actorId: 'OTHER', from: 'enrolled' as const }]]) };
    expect(planRegistration(byOther, input([row('A', { status: 'enrolled' })]), gen)).toMatchObject({ kind: 'refused', rowErrors: new Map([['A', ['correction_not_allowed']]]) });
    const finished = { ...withdrawn, now: '2026-03-21T10:00:00.000Z' };
    expect(planRegistration(finished, input([row('A', { status: 'enrolled' })]), gen).kind).toBe('refused');

    const admin = { ...byOther, actor: { id: 'ADM', roles: ['admin' as const], source: 'admin' as const } };
    expect(planRegistration(admin, input([row('A', { status: 'completed' })]), gen)).toMatchObject({ kind: 'refused', rowErrors: new Map([['A', ['reason_required']]]) });
    const fixed = planRegistration(admin, input([row('A', { status: 'completed', reason: 'Vergissing' })], { confirmOverwrites: true, confirmEarlyCompletion: true }), gen);
    if (fixed.kind !== 'write') throw new Error(fixed.kind);
    expect(fixed.writes.history.find((h) => h.field === 'status')).toMatchObject({ old_value: 'withdrawn_invalid', new_value: 'completed', note: 'Vergissing' });
  });

  it('judges R4 on the withdrawal date entered, which is neither in the future nor before the enrolment', () => {
    const late = state({ run: { ...state().run, starts_on: '2026-03-20' } });
    expect(planRegistration(late, input([row('A', { status: 'withdrawn_valid' })]), gen)).toMatchObject({ kind: 'refused', rowErrors: new Map([['A', ['proof_required']]]) });
    const early = planRegistration(late, input([row('A', { status: 'withdrawn_valid', withdrawnOn: '2026-03-01' })]), gen);
    if (early.kind !== 'write') throw new Error(early.kind);
    expect(early.writes.enrolments[0]).toMatchObject({ status: 'withdrawn_valid', withdrawn_on: '2026-03-01' });
    expect(planRegistration(late, input([row('A', { status: 'withdrawn_invalid', withdrawnOn: '2026-03-11' })]), gen)).toMatchObject({ rowErrors: new Map([['A', ['withdrawal_date_future']]]) });
    expect(planRegistration(late, input([row('A', { status: 'withdrawn_invalid', withdrawnOn: '2026-01-04' })]), gen)).toMatchObject({ rowErrors: new Map([['A', ['withdrawal_date_before_enrolment']]]) });
  });

  it('puts the points of this run on the certificate, capped by the course maximum (R3, R5)', () => {
    const s = state({ creditedElsewhere: new Map([['UA', 2]]), run: { ...state().run, max_study_points: 10 } });
    const plan = planRegistration(s, input([row('A', { present: true, status: 'completed' })], { meetingIds: ['M1', 'M2'], confirmEarlyCompletion: true }), gen);
    if (plan.kind !== 'write') throw new Error(plan.kind);
    expect(plan.writes.certificates[0]!.study_points).toBe(4);
    const capped = planRegistration({ ...s, run: { ...s.run, max_study_points: 3 } }, input([row('A', { present: true, status: 'completed' })], { meetingIds: ['M1', 'M2'], ignoreMaximum: true, confirmEarlyCompletion: true }), gen);
    if (capped.kind !== 'write') throw new Error(capped.kind);
    expect(capped.writes.certificates[0]!.study_points).toBe(3);
  });

  it('merges changes of other values and reports the same value changed meanwhile (R11)', () => {
    const cells = meetings.map(() => '-');
    const seen = decodeSeen(encodeSeen('enrolled', effortFingerprint(null, null), cells), meetings.map((m) => m.id))!;
    const attendance: PlanAttendance[] = [{ enrolment_id: 'A', meeting_id: 'M1', present: 1, reported_absent_at: null, study_points: 2 }];
    // Meanwhile a colleague rated A and recorded A present at M1 (version 2).
    const now = state({ enrolments: [enrolment('A', { effort: 'good', version: 2 }), enrolment('B')], attendance });
    const merged = planRegistration(now, input([row('A', { seen, status: 'failed', effort: null }), row('B', { seen, effort: 'excellent' })]), gen);
    if (merged.kind !== 'write') throw new Error(merged.kind);
    expect(merged.writes.enrolments.map((e) => [e.id, e.status, e.effort, e.version])).toEqual([
      ['A', 'failed', 'good', 3],
      ['B', 'enrolled', 'excellent', 2],
    ]);

    const conflict = planRegistration(now, input([row('A', { seen, effort: 'sufficient' }), row('B', { seen })], { meetingIds: ['M1'] }), gen);
    expect(conflict).toMatchObject({
      kind: 'conflict',
      conflicts: [
        { enrolmentId: 'A', key: 'effort', theirs: { effort: 'good' }, mine: { effort: 'sufficient' } },
        { enrolmentId: 'A', key: 'attendance.M1', theirs: { state: 'present', points: 2 }, mine: { state: 'absent' }, fingerprint: cellFingerprint(attendance[0]) },
      ],
    });
  });

  it('counts removed points apart and a proof note as a change (summary)', () => {
    const attendance: PlanAttendance[] = [{ enrolment_id: 'A', meeting_id: 'M1', present: 1, reported_absent_at: null, study_points: 2 }];
    const removed = planRegistration(state({ attendance }), input([row('A')], { meetingIds: ['M1'], confirmOverwrites: true }), gen);
    expect(removed).toMatchObject({ kind: 'write', summary: { pointsCredited: 0, pointsRemoved: 2 } });
    expect(planRegistration(state(), input([row('B', { proofNote: 'Attest van de huisarts gezien' })]), gen)).toMatchObject({ kind: 'write', summary: { proofsRecorded: 1 } });
  });

  it('leaves effort and comment as they are for a row that keeps them (the API row naming no effort)', () => {
    const withEffort = state({ enrolments: [enrolment('A', { effort: 'good', effort_comment: 'Actief' })] });
    const kept = planRegistration(withEffort, input([row('A', { status: 'absent', keepEffort: true })]), gen);
    if (kept.kind !== 'write') throw new Error(kept.kind);
    expect(kept.writes.enrolments.map((e) => [e.status, e.effort, e.effort_comment])).toEqual([['absent', 'good', 'Actief']]);
    expect(kept.writes.history.map((h) => h.field)).toEqual(['status']);
    const cleared = planRegistration(withEffort, input([row('A', { status: 'absent' })]), gen);
    if (cleared.kind !== 'write') throw new Error(cleared.kind);
    expect(cleared.writes.enrolments.map((e) => [e.effort, e.effort_comment])).toEqual([[null, null]]);
  });
});


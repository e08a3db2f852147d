import { addDays } from '../../domain/dates.ts';
import { brusselsInstant, plusMinutes, weekGrid, type Weekday } from './calendar.ts';
import { DemoBuilder, type CourseRef, type DemoRows, type EnrolmentRef, type MeetingSpec, type RunRef } from './builder.ts';
import { ADMINISTRATOR, DEMO_DOMAIN, demoParticipants, SECOND_TEACHER, TEACHER } from './people.ts';

/**
 * The demo training organisation, told as what happened in it: head office set up the catalogue and
 * enrolled people, participants withdrew or reported absences, teachers registered attendance,
 * effort and statuses. Every date is placed relative to `now` in whole weeks around the current
 * Brussels week, so the story looks the same whichever day it is created on: the two current runs
 * of `docent@` have meetings behind them (attendance to register) and one ahead (the last).
 *
 * Deterministic apart from ids, certificate numbers and verification codes, which must be unique.
 */
export function buildDemo(now: Date, passwordHash: string): DemoRows {
  const { today, day } = weekGrid(now);
  const at = (date: string, time: string) => brusselsInstant(date, time);
  const b = new DemoBuilder(passwordHash, at(addDays(today, -180), '08:00'));

  // People.
  const adminId = b.person(ADMINISTRATOR);
  const teacherId = b.person(TEACHER);
  const teacher2Id = b.person(SECOND_TEACHER);
  const p = demoParticipants().map((person) => b.person(person));
  const participant = (i: number): string => {
    const id = p[i];
    if (!id) throw new Error(`no demo participant ${i}`);
    return id;
  };

  // Catalogue. Classroom maxima sit a little below what one run's meetings carry, so the cap of
  // rule R5 shows as soon as a participant attends every meeting.
  const kc = (code: string) => `https://kenniscentrum.${DEMO_DOMAIN}/${code.toLowerCase()}`;
  const firstAid = b.course({ code: 'EHBO-101', title: 'Eerste hulp op de werkvloer', kind: 'classroom', maxStudyPoints: 5, knowledgeCentreUrl: kc('EHBO-101') });
  const fire = b.course({ code: 'BRAND-110', title: 'Brandpreventie', kind: 'classroom', maxStudyPoints: 2.5, knowledgeCentreUrl: kc('BRAND-110') });
  const timeManagement = b.course({ code: 'TIME-120', title: 'Time management', kind: 'classroom', maxStudyPoints: 2.5, knowledgeCentreUrl: kc('TIME-120') });
  const excel = b.course({ code: 'EXCEL-210', title: 'Excel voor gevorderden', kind: 'classroom', maxStudyPoints: 4, studyTermDays: 180, knowledgeCentreUrl: kc('EXCEL-210') });
  const chemicals = b.course({
    code: 'CHEM-130',
    title: 'Veilig werken met chemische stoffen',
    kind: 'elearning',
    maxStudyPoints: 2,
    studyTermDays: 90,
    knowledgeCentreUrl: kc('CHEM-130'),
    elearningUrl: `https://leren.${DEMO_DOMAIN}/chem-130`,
  });
  const gdpr = b.course({
    code: 'GDPR-140',
    title: 'Informatieveiligheid en GDPR',
    kind: 'elearning',
    maxStudyPoints: 1,
    studyTermDays: 60,
    elearningUrl: `https://leren.${DEMO_DOMAIN}/gdpr-140`,
  });
  const vca = b.course({ code: 'VCA-150', title: 'Examen VCA Basisveiligheid', kind: 'exam', maxStudyPoints: 1, knowledgeCentreUrl: kc('VCA-150') });
  const programme = b.programme('Traject preventie en veiligheid', 365, [firstAid, fire, chemicals, vca]);

  // Runs. Week numbers count from the current week (0); weekday 0 is Monday.
  const meetings = (weeks: readonly number[], weekday: Weekday, from: string, to: string, points: number): MeetingSpec[] =>
    weeks.map((w) => ({ startsAt: at(day(w, weekday), from), endsAt: at(day(w, weekday), to), studyPoints: points }));
  const runCreated = (weeksBefore: number) => at(day(-weeksBefore, 0), '08:30');
  const runs = {
    // docent@: two current runs and one finished one.
    firstAidGent: b.run(firstAid, { place: 'Gent, Opleidingscentrum Zuidpoort', capacity: 16, teacherId, createdAt: runCreated(12), meetings: meetings([-3, -2, -1, 1], 1, '09:00', '12:30', 1.5) }),
    fireAntwerpen: b.run(fire, { place: 'Antwerpen, Campus Berchem', capacity: 14, teacherId, createdAt: runCreated(11), meetings: meetings([-2, -1, 1], 3, '13:30', '17:00', 1) }),
    timeHasselt: b.run(timeManagement, { place: 'Hasselt, Corda Campus', capacity: 12, teacherId, createdAt: runCreated(18), meetings: meetings([-9, -8], 0, '09:00', '16:30', 1.5) }),
    // docent2@ only: runs docent@ must never see.
    excelLeuven: b.run(excel, { place: 'Leuven, Vormingscentrum Vaartkom', capacity: 12, teacherId: teacher2Id, createdAt: runCreated(10), meetings: meetings([-1, 1, 2], 2, '09:00', '12:30', 1.5) }),
    firstAidBrugge: b.run(firstAid, { place: 'Brugge, Kenniscentrum Sint-Pieters', capacity: 14, teacherId: teacher2Id, createdAt: runCreated(4), meetings: meetings([3, 4, 5, 6], 4, '09:00', '12:30', 1.5) }),
    fireMechelen: b.run(fire, { place: 'Mechelen, Campus De Vest', capacity: 14, teacherId: teacher2Id, createdAt: runCreated(4), meetings: meetings([4, 5, 6], 1, '13:30', '17:00', 1) }),
    vcaMechelen: b.run(vca, { place: 'Mechelen, Examencentrum Nekkerspoel', capacity: 20, teacherId: teacher2Id, createdAt: runCreated(6), meetings: meetings([2], 4, '09:00', '11:00', 1) }),
  };

  // Head office enrols people some weeks before a run starts (or before today, for later runs).
  const enrolAll = (run: RunRef, indexes: readonly number[]): EnrolmentRef[] =>
    indexes.map((i, n) => {
      const base = addDays(run.startsOn < today ? run.startsOn : today, -35 + (n % 7));
      return b.enrol(participant(i), { run }, { status: 'enrolled', enrolledAt: plusMinutes(at(base, '10:00'), n * 7), enrolledBy: adminId });
    });
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const teacherAt = (id: string) => ({ id, source: 'teacher_form' as const });
  const registered = (run: RunRef, meetingIndex: number) => plusMinutes(run.meetings[meetingIndex]!.endsAt, 20);

  // Eerste hulp in Gent (docent@): 14 enrolled, two of whom withdrew, one on each side of the
  // 15-day rule (R4); attendance registered for the first two of four meetings, the third still
  // to do; one participant has reported in advance that they will miss the last meeting.
  {
    const run = runs.firstAidGent;
    const enrolments = enrolAll(run, range(0, 13));
    const [valid, invalid] = [enrolments[12]!, enrolments[13]!];
    b.withdraw(valid, addDays(run.startsOn, -20), at(addDays(run.startsOn, -20), '11:05'));
    b.withdraw(invalid, addDays(run.startsOn, -6), at(addDays(run.startsOn, -6), '17:40'));
    const firstSave = registered(run, 0);
    b.setStatus(valid, 'withdrawn_valid', firstSave, teacherAt(teacherId));
    b.setStatus(invalid, 'withdrawn_invalid', firstSave, teacherAt(teacherId));
    const active = enrolments.slice(0, 12);
    b.registerAttendance(run, run.meetings[0]!, active.map((e, i) => ({ enrolment: e, present: i !== 9 })), firstSave);
    const secondSave = registered(run, 1);
    b.registerAttendance(run, run.meetings[1]!, active.map((e, i) => ({ enrolment: e, present: i !== 5 && i !== 9 })), secondSave);
    b.setEffort(active[1]!, 'excellent', 'Reanimatie vlot en correct uitgevoerd.', secondSave, teacherId);
    b.setEffort(active[3]!, 'good', 'Actieve deelname aan de oefeningen.', secondSave, teacherId);
    b.setEffort(active[9]!, 'insufficient', 'Twee bijeenkomsten gemist; de praktijkoefeningen inhalen.', secondSave, teacherId);
    b.reportAbsence(active[7]!, run.meetings[3]!, at(day(-1, 3), '19:40'));
  }

  // Brandpreventie in Antwerpen (docent@): 12 enrolled; two told head office they withdraw but no
  // one has set their status yet, so the participants page proposes one (valid, and invalid).
  {
    const run = runs.fireAntwerpen;
    const enrolments = enrolAll(run, [0, ...range(14, 24)]);
    const [early, late] = [enrolments[10]!, enrolments[11]!];
    b.withdraw(early, addDays(run.startsOn, -18), at(addDays(run.startsOn, -18), '09:20'));
    b.withdraw(late, addDays(run.startsOn, -4), at(addDays(run.startsOn, -4), '08:10'));
    const taking = enrolments.slice(0, 10);
    b.registerAttendance(run, run.meetings[0]!, taking.map((e, i) => ({ enrolment: e, present: i !== 4 })), registered(run, 0));
  }

  // Time management in Hasselt (docent@), finished: certificates for those who completed; the
  // course maximum (2.5) capped the second meeting's 1.5 points at 1 (R5).
  {
    const run = runs.timeHasselt;
    const enrolments = enrolAll(run, [0, ...range(25, 34)]);
    b.registerAttendance(run, run.meetings[0]!, enrolments.map((e, i) => ({ enrolment: e, present: i !== 9 })), registered(run, 0));
    const closing = registered(run, 1);
    b.registerAttendance(run, run.meetings[1]!, enrolments.map((e, i) => ({ enrolment: e, present: i !== 9 && i !== 10 })), closing);
    b.setEffort(enrolments[0]!, 'good', 'Sterke planning voor het eigen team uitgewerkt.', closing, teacherId);
    b.setEffort(enrolments[4]!, 'excellent', 'Deelde veel voorbeelden uit de praktijk.', closing, teacherId);
    enrolments.forEach((e, i) => b.setStatus(e, i === 9 ? 'absent' : i === 10 ? 'failed' : 'completed', plusMinutes(closing, 10), teacherAt(teacherId)));
  }

  // Excel voor gevorderden in Leuven (docent2@): first meeting registered.
  {
    const run = runs.excelLeuven;
    const enrolments = enrolAll(run, range(30, 39));
    b.registerAttendance(run, run.meetings[0]!, enrolments.map((e, i) => ({ enrolment: e, present: i !== 6 })), registered(run, 0));
  }

  // Later runs of docent2@, open for enrolment and for the programme's run choices.
  enrolAll(runs.firstAidBrugge, range(35, 38));
  enrolAll(runs.fireMechelen, [39, 1, 2]);
  enrolAll(runs.vcaMechelen, range(14, 21));

  // Programme: five participants who still have to choose a run for the classroom courses and the
  // exam; its e-learning needs no run. The programme's study term counts from enrolment.
  range(25, 29).forEach((i, n) => {
    const enrolledAt = at(addDays(today, -20 + n), '09:30');
    const common = { enrolledAt, enrolledBy: adminId, programmeId: programme, termDays: 365 };
    for (const course of [firstAid, fire, vca]) b.enrol(participant(i), { course }, { ...common, status: 'run_choice_required' });
    const elearning = b.enrol(participant(i), { course: chemicals }, { ...common, status: 'not_started' });
    if (n % 2 === 1) b.setStatus(elearning, 'started', at(addDays(today, -15 + n), '20:15'), { id: null, source: 'system' });
  });

  // Stand-alone e-learning: some opened it (started), others not yet.
  const enrolElearning = (course: CourseRef, indexes: readonly number[]) =>
    indexes.forEach((i, n) => {
      const enrolledOn = addDays(today, -(6 + ((n * 5) % 40)));
      const e = b.enrol(participant(i), { course }, { status: 'not_started', enrolledAt: at(enrolledOn, '08:45'), enrolledBy: adminId });
      if (i === 0 || n % 3 === 0) b.setStatus(e, 'started', at(addDays(enrolledOn, 2), '20:05'), { id: null, source: 'system' });
    });
  enrolElearning(chemicals, range(0, 11));
  enrolElearning(gdpr, range(14, 24));

  return b.rows();
}

import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { buildTranscript } from '../domain/transcript.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeRun, makeUser } from '../testing/factories.ts';
import { TestBrowser, testApp } from '../testing/http.ts';
import { pdfPages } from '../testing/pdf.ts';
import { registerAttendance } from './register-attendance.ts';
import { getTranscript } from './transcript.ts';

describe('transcript rules', () => {
  it('counts points for the Brussels calendar year of the meeting, newest year first, overrides apart', () => {
    const row = { course_id: 'c', course_code: 'C', course_title: 'Cursus', max_study_points: 2 };
    const transcript = buildTranscript([
      { ...row, starts_at: '2025-06-01T08:00:00.000Z', study_points: 1, points_override_by: null },
      // 23:30 UTC on New Year's Eve is already New Year's Day in Brussels.
      { ...row, starts_at: '2025-12-31T23:30:00.000Z', study_points: 1.25, points_override_by: null },
      { ...row, starts_at: '2026-02-01T08:00:00.000Z', study_points: 0.75, points_override_by: 'admin' },
      { ...row, course_id: 'b', course_title: 'Brandveiligheid', starts_at: '2026-03-01T08:00:00.000Z', study_points: 0.1, points_override_by: null },
      { ...row, course_id: 'b', course_title: 'Brandveiligheid', starts_at: '2026-03-08T08:00:00.000Z', study_points: 0.2, points_override_by: null },
    ]);
    expect(transcript.years.map((y) => [y.year, y.total, y.courses.map((c) => [c.courseTitle, c.points, c.overriddenPoints])])).toEqual([
      [2026, 2.3, [['Brandveiligheid', 0.3, 0], ['Cursus', 2, 0.75]]],
      [2025, 1, [['Cursus', 1, 0]]],
    ]);
    expect(transcript.total).toBe(3.3);
    expect(buildTranscript([])).toEqual({ years: [], total: 0 });
  });
});

describeEachDatabase('study-points transcript', (store) => {
  const db = () => store().db;

  async function setUp() {
    const teacher = await makeUser(db(), ['teacher']);
    const person = await makeUser(db(), ['participant'], 'Αλέξανδρος Ivanov');
    // Meetings on 21 December 2025, 5 and 15 January 2026; a maximum of 3 at 1.5 a meeting.
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-20, -5, 5], points: 1.5, maxPoints: 3, now: new Date('2026-01-10T12:00:00Z') });
    await db().updateTable('courses').set({ title: 'Eerste hulp =1+1' }).where('id', '=', run.courseId).execute();
    const e = await enrol(db(), run, person.id);
    const save = async (meetingIds: string[], ignoreMaximum: boolean) => {
      const { version } = await db().selectFrom('enrolments').select('version').where('id', '=', e.id).executeTakeFirstOrThrow();
      const outcome = await registerAttendance(db(), actorOf(teacher), {
        runId: run.id,
        meetingIds,
        allMeetings: false,
        ignoreMaximum,
        confirmEarlyCompletion: true,
        confirmOverwrites: true,
        rows: [{ enrolmentId: e.id, version, present: true, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null }],
      });
      expect(outcome.kind).toBe('saved');
    };
    await save([run.meetings[0]!.id, run.meetings[1]!.id], false);
    // The third meeting would pass the maximum: credited only because the maximum is ignored.
    await save([run.meetings[2]!.id], true);
    return { teacher, person, run };
  }

  it('adds up the credited points per calendar year and course, with the override shown', async () => {
    const { person } = await setUp();
    const transcript = await getTranscript(db(), actorOf(person), person.id);
    expect(transcript.person.name).toBe('Αλέξανδρος Ivanov');
    expect(transcript.years.map((y) => [y.year, y.total, y.courses.map((c) => [c.courseTitle, c.points, c.overriddenPoints, c.maxStudyPoints])])).toEqual([
      [2026, 3, [['Eerste hulp =1+1', 3, 1.5, 3]]],
      [2025, 1.5, [['Eerste hulp =1+1', 1.5, 0, 3]]],
    ]);
    expect(transcript.total).toBe(4.5);
  });

  it('is the person’s own or, for administrators, anyone’s', async () => {
    const { person, teacher } = await setUp();
    const admin = await makeUser(db(), ['admin']);
    expect((await getTranscript(db(), actorOf(admin), person.id)).total).toBe(4.5);
    await expect(getTranscript(db(), actorOf(teacher), person.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(getTranscript(db(), actorOf(admin), 'nobody')).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('shows the page and downloads PDF and CSV; an administrator downloads anyone’s', async () => {
    const { person } = await setUp();
    const app = testApp(store());
    const browser = await TestBrowser.signedIn(app, store(), person.id);
    const page = await (await browser.get('/me/study-points')).text();
    expect(page).toContain('Mijn studiepunten');
    expect(page).toContain('Studiepunten in 2026');
    expect(page).toContain('Totaal alle jaren: 4,5');

    const pdf = await browser.get('/me/study-points.pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const [text] = await pdfPages(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('Deelnemer: Αλέξανδρος Ivanov');
    expect(text).toMatch(/Studiepunten in 2026[\s\S]*Eerste hulp =1\+1 \(C-\w+\)\s+3\s+1,5\s+3[\s\S]*Totaal 2026\s+3/);
    expect(text).toMatch(/Studiepunten in 2025[\s\S]*Eerste hulp =1\+1 \(C-\w+\)\s+1,5\s+–\s+3/);
    expect(text).toContain('Totaal alle jaren: 4,5');

    const csv: string[][] = parse(Buffer.from(await (await browser.get('/me/study-points.csv')).arrayBuffer()), { bom: true, delimiter: ';' });
    expect(csv.map((r) => [r[0], r[1], r[3], r[4], r[5]])).toEqual([
      ['Jaar', 'Opleiding', 'Studiepunten', 'Waarvan boven het maximum', 'Maximum van de opleiding'],
      ['2026', 'Eerste hulp =1+1', '3', '1,5', '3'],
      ['2025', 'Eerste hulp =1+1', '1,5', '0', '3'],
    ]);

    const admin = await TestBrowser.signedIn(app, store(), (await makeUser(db(), ['admin'])).id);
    const forAdmin = await admin.get(`/admin/users/${person.id}/study-points.pdf`);
    expect(forAdmin.status).toBe(200);
    expect((await pdfPages(Buffer.from(await forAdmin.arrayBuffer())))[0]).toContain('Αλέξανδρος Ivanov');
    expect((await admin.get(`/admin/users/${person.id}/study-points.csv`)).status).toBe(200);
    expect((await browser.get(`/admin/users/${person.id}/study-points.pdf`)).status).toBe(404);
  });
});

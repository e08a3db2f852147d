import { describe, expect, it } from 'vitest';
import { pageRanges, signsAttendanceSheet } from '../domain/attendance-sheet.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { messages } from '../i18n/index.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, enrolMany, makeRun, makeUser } from '../testing/factories.ts';
import { pdfPages } from '../testing/pdf.ts';
import { renderAttendanceSheetPdf } from './attendance-sheet-pdf.ts';
import { getAttendanceSheet } from './attendance-sheet.ts';

const nl = messages('nl');

describe('attendance sheet rules', () => {
  it('leaves off whoever no longer takes part or has withdrawn', () => {
    expect(signsAttendanceSheet({ status: 'enrolled', withdrawnOn: null })).toBe(true);
    expect(signsAttendanceSheet({ status: 'completed', withdrawnOn: null })).toBe(true);
    expect(signsAttendanceSheet({ status: 'started', withdrawnOn: '2026-03-01' })).toBe(false);
    for (const status of ['withdrawn_valid', 'withdrawn_invalid', 'cancelled', 'archived', 'exempted'] as const) {
      expect(signsAttendanceSheet({ status, withdrawnOn: null })).toBe(false);
    }
  });

  it('cuts lines into pages of whole lines', () => {
    expect(pageRanges(0, 17)).toEqual([[0, 0]]);
    expect(pageRanges(17, 17)).toEqual([[0, 17]]);
    expect(pageRanges(18, 17)).toEqual([[0, 17], [17, 18]]);
    expect(pageRanges(40, 17)).toEqual([[0, 17], [17, 34], [34, 40]]);
  });
});

/** Names in several scripts, with emoji; each must come out whole on one line of one page. */
const NAMES = ['Łukasz Żółkiewski', 'Αλέξανδρος Παπαδόπουλος', 'Владимир Иванов', 'Ann 👩 O’Neil'];

describeEachDatabase('attendance sheet', (store) => {
  const db = () => store().db;

  async function setUp() {
    const teacher = await makeUser(db(), ['teacher'], 'Dirk Docent');
    // A meeting on the Sunday clocks go forward in Brussels (09:00 local is 07:00 UTC that day).
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, 7] });
    await db().updateTable('meetings').set({ starts_at: '2026-03-29T07:00:00.000Z', ends_at: '2026-03-29T10:00:00.000Z', place: 'Brugge, lokaal 2' }).where('id', '=', run.meetings[0]!.id).execute();
    await db().updateTable('courses').set({ title: 'Brandveiligheid 🔥 voor iedereen' }).where('id', '=', run.courseId).execute();
    const many = await enrolMany(db(), run, 40);
    for (const name of NAMES) await enrol(db(), run, (await makeUser(db(), ['participant'], name)).id);
    await enrol(db(), run, (await makeUser(db(), ['participant'], 'Weg Metgeldigereden')).id, { status: 'withdrawn_valid', withdrawnOn: '2026-01-02' });
    await enrol(db(), run, (await makeUser(db(), ['participant'], 'Net Uitgeschreven')).id, { withdrawnOn: '2026-03-20' });
    await enrol(db(), run, (await makeUser(db(), ['participant'], 'Geannuleerd Persoon')).id, { status: 'cancelled' });
    return { teacher, run, many };
  }

  it('prints one meeting: heading on every page, every active participant once, whole, in any script; the withdrawn left out', async () => {
    const { teacher, run } = await setUp();
    const sheet = await getAttendanceSheet(db(), actorOf(teacher), run.id, run.meetings[0]!.id);
    const pages = await pdfPages(await renderAttendanceSheetPdf(sheet, { t: nl, locale: 'nl' }));

    expect(pages.length).toBe(3); // 44 lines, 17 a page
    pages.forEach((page, i) => {
      expect(page).toContain('Presentielijst');
      expect(page).toContain('Brandveiligheid 🔥 voor iedereen');
      expect(page).toContain('zondag 29 maart 2026, 09:00–12:00');
      expect(page).toContain('Plaats: Brugge, lokaal 2');
      expect(page).toContain('docent: Dirk Docent');
      expect(page).toMatch(/Nr\.\s+Naam\s+Handtekening/);
      expect(page).toContain(`Pagina ${i + 1} van 3`);
    });
    const all = pages.join('\n');
    const expected = [...NAMES, ...Array.from({ length: 40 }, (_, i) => `Deelnemer ${String(i).padStart(3, '0')}`)];
    for (const name of expected) {
      // On one line of exactly one page, numbered: a page break never splits a line.
      const holding = pages.filter((p) => p.split('\n').some((line) => new RegExp(`^\\s*\\d+\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`).test(line)));
      expect(holding.length, name).toBe(1);
    }
    for (const gone of ['Weg Metgeldigereden', 'Net Uitgeschreven', 'Geannuleerd Persoon']) expect(all).not.toContain(gone);
    // Numbered 1 to 44 in name order, across the pages.
    const numbers = all.split('\n').map((l) => /^\s*(\d+)\s+\S/.exec(l)?.[1]).filter(Boolean).map(Number);
    expect(numbers).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
  });

  it('prints the whole run as one section per meeting, each on pages of its own, in English when asked', async () => {
    const { teacher, run } = await setUp();
    const sheet = await getAttendanceSheet(db(), actorOf(teacher), run.id);
    const pages = await pdfPages(await renderAttendanceSheetPdf(sheet, { t: messages('en'), locale: 'en' }));
    expect(pages.length).toBe(6);
    expect(pages.slice(0, 3).every((p) => p.includes('Sunday, 29 March 2026, 09:00–12:00'))).toBe(true);
    expect(pages.slice(3).every((p) => !p.includes('29 March 2026'))).toBe(true);
    expect(pages[5]).toContain('Page 6 of 6');
    expect(pages[0]).toMatch(/No\.\s+Name\s+Signature/);
    expect(pages.join('\n').split('Владимир Иванов').length - 1).toBe(2);
  });

  it('is only for the run’s teachers and administrators, and only for a meeting of that run', async () => {
    const { teacher, run } = await setUp();
    const other = await makeUser(db(), ['teacher']);
    const otherRun = await makeRun(db(), { teacherId: other.id });
    const participant = await makeUser(db(), ['participant']);
    const admin = await makeUser(db(), ['admin']);
    await expect(getAttendanceSheet(db(), actorOf(other), run.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(getAttendanceSheet(db(), actorOf(participant), run.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(getAttendanceSheet(db(), actorOf(teacher), run.id, otherRun.meetings[0]!.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    const byAdmin = await getAttendanceSheet(db(), actorOf(admin), run.id, run.meetings[1]!.id);
    expect(byAdmin.participants).toHaveLength(44);
    expect(byAdmin.meetings.map((m) => m.id)).toEqual([run.meetings[1]!.id]);
  });
});

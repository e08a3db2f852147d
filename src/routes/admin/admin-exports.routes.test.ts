import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { newId, nowIso } from '../../db/index.ts';
import { meetingsChange } from '../../domain/history-entry.ts';
import { messages } from '../../i18n/index.ts';
import { appendHistory } from '../../repositories/history.ts';
import { RUNS_EXPORT_PAGE_SIZE, runOverviewColumns } from '../../services/run-overview.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeCourse, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

const nl = messages('nl');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function readWorkbook(response: Response) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await buffer(response.body!)) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook.worksheets[0]!;
}

function readCsv(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes, { bom: true, delimiter: ';' });
}

describeEachDatabase('administrators’ list exports', (store) => {
  const db = () => store().db;

  async function admin() {
    const user = await makeUser(db(), ['admin']);
    return TestBrowser.signedIn(testApp(store()), store(), user.id);
  }

  it('exports the run overview with its filters as CSV and typed XLSX, across several keyset pages', async () => {
    const browser = await admin();
    const place = `Brugge-${newId()}`;
    const teacher = await makeUser(db(), ['teacher'], 'Docent Dirk');
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [1] });
    await db().updateTable('runs').set({ place, starts_on: '2027-03-01', ends_on: '2027-03-31', capacity: 12 }).where('id', '=', run.id).execute();
    await enrol(db(), run, (await makeUser(db())).id);
    await enrol(db(), run, (await makeUser(db())).id);
    // More runs in the place than one page of the export, all starting earlier; and one elsewhere.
    const { id: courseId } = await makeCourse(db());
    const extra = Array.from({ length: RUNS_EXPORT_PAGE_SIZE + 20 }, (_, i) => ({
      id: newId(),
      course_id: courseId,
      code: `X-${newId()}`,
      starts_on: `2026-${String((i % 12) + 1).padStart(2, '0')}-01`,
      ends_on: '2026-12-31',
      place,
      capacity: null,
      cancelled_at: null,
      created_at: nowIso(),
    }));
    await db().insertInto('runs').values(extra).execute();
    const elsewhere = await makeRun(db(), { teacherId: teacher.id });

    // The overview links to both files with its own filters.
    const overview = await (await browser.get(`/admin?place=${encodeURIComponent(place)}&state=planned`)).text();
    const query = new URLSearchParams([['place', place], ['state', 'planned']]).toString().replace(/&/g, '&amp;');
    expect(overview).toContain(`href="/admin/runs.csv?${query}"`);
    expect(overview).toContain(`href="/admin/runs.xlsx?${query}"`);

    const csv = await browser.get(`/admin/runs.csv?place=${encodeURIComponent(place)}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="uitvoeringen-\d{4}-\d{2}-\d{2}\.csv"$/);
    const records = readCsv(Buffer.from(await csv.arrayBuffer()));
    expect(records[0]).toEqual(runOverviewColumns(nl, '2026-12-01').map((c) => c.header));
    expect(records).toHaveLength(1 + extra.length + 1);
    const [, first] = records;
    const code = (await db().selectFrom('runs').select('code').where('id', '=', run.id).executeTakeFirstOrThrow()).code;
    expect(first).toEqual([code, expect.any(String), 'Eerste hulp op de werkvloer', '2027-03-01', '2027-03-31', place, 'Docent Dirk', '2', '12', 'Gepland']);
    const codes = records.slice(1).map((r) => r[0]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).not.toContain((await db().selectFrom('runs').select('code').where('id', '=', elsewhere.id).executeTakeFirstOrThrow()).code);

    const xlsx = await browser.get(`/admin/runs.xlsx?place=${encodeURIComponent(place)}&state=planned`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(XLSX);
    const sheet = await readWorkbook(xlsx);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // The state filter leaves only the planned run.
    expect(sheet.rowCount).toBe(2);
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe(code);
    expect(row.getCell(4).value).toEqual(new Date('2027-03-01T00:00:00Z'));
    expect(row.getCell(8).value).toBe(2);
    expect(row.getCell(9).value).toBe(12);
  });

  it('exports the filtered history as typed XLSX, and the CSV through the same export', async () => {
    const browser = await admin();
    const person = await makeUser(db(), ['participant'], 'Semi;Colon "Quote"');
    const other = await makeUser(db());
    const email = (await db().selectFrom('users').select('email').where('id', '=', person.id).executeTakeFirstOrThrow()).email;
    const row = (userId: string, value: string) => ({
      id: newId(), at: '2026-03-29T07:30:00.000Z', actor_id: null, source: 'import' as const, user_id: userId, enrolment_id: null, run_id: null, meeting_id: null, field: 'account' as const, old_value: 'active', new_value: value, note: null,
    });
    await appendHistory(db(), [row(person.id, 'deactivated'), row(other.id, 'deactivated')]);

    const page = await (await browser.get(`/admin/history?person=${encodeURIComponent(email)}`)).text();
    expect(page).toContain(`href="/admin/history.xlsx?person=${encodeURIComponent(email)}"`);
    const xlsx = await browser.get(`/admin/history.xlsx?person=${encodeURIComponent(email)}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(XLSX);
    expect(xlsx.headers.get('content-disposition')).toMatch(/^attachment; filename="geschiedenis-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const sheet = await readWorkbook(xlsx);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe(nl.auditHistory.columns.at);
    expect(sheet.rowCount).toBe(2);
    // 07:30 UTC on the first day of summer time is 09:30 in Brussels.
    expect(sheet.getRow(2).getCell(1).value).toEqual(new Date('2026-03-29T09:30:00Z'));
    expect(sheet.getRow(2).getCell(4).value).toBe('Semi;Colon "Quote"');

    const csv = readCsv(Buffer.from(await (await browser.get(`/admin/history.csv?person=${encodeURIComponent(email)}`)).arrayBuffer()));
    expect(csv).toHaveLength(2);
    expect(csv[1]!.slice(0, 4)).toEqual(['2026-03-29 09:30', nl.history.system, '', 'Semi;Colon "Quote"']);
    // A filter that names nothing known gives the header alone, not every row.
    expect(readCsv(Buffer.from(await (await browser.get('/admin/history.csv?person=niemand%40example.test')).arrayBuffer()))).toHaveLength(1);
  });

  it('exports a change at several meetings with how many, and each meeting’s value by its date', async () => {
    const browser = await admin();
    const person = await makeUser(db(), ['participant']);
    const email = (await db().selectFrom('users').select('email').where('id', '=', person.id).executeTakeFirstOrThrow()).email;
    const change = meetingsChange('attendance', [
      { meetingId: 'M1', startsAt: '2026-03-02T09:00:00.000Z', oldValue: 'absent', newValue: 'present' },
      { meetingId: 'M2', startsAt: '2026-03-09T09:00:00.000Z', oldValue: null, newValue: 'present' },
    ]);
    await appendHistory(db(), [{ id: newId(), at: '2026-03-10T07:30:00.000Z', actor_id: null, source: 'api', user_id: person.id, enrolment_id: null, run_id: null, ...change }]);
    const csv = readCsv(Buffer.from(await (await browser.get(`/admin/history.csv?person=${encodeURIComponent(email)}`)).arrayBuffer()));
    expect(csv).toHaveLength(2);
    expect(csv[1]!.slice(6, 9)).toEqual(['Aanwezigheid, 2 bijeenkomsten', '2 mrt 2026: Afwezig; 9 mrt 2026: –', 'Aanwezig']);
  });
});


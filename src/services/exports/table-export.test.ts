import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvStream, inPages, neutraliseFormula, xlsxStream, type Column } from './table-export.ts';

interface Row {
  name: string;
  points: number | null;
  day: string | null;
  at: string | null;
}

const COLUMNS: Column<Row>[] = [
  { header: 'Naam', type: 'text', value: (r) => r.name },
  { header: 'Studiepunten', type: 'number', value: (r) => r.points },
  { header: 'Datum', type: 'date', value: (r) => r.day },
  { header: 'Bijeenkomst', type: 'dateTime', value: (r) => r.at },
];

const HOSTILE = ['=HYPERLINK("http://evil.example","klik")', '+32 9 123 45 67', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];

const ROWS: Row[] = [
  // The Saturday before and the Sunday of the change to summer time: both 09:00 in Brussels.
  { name: 'Łukasz; "Ann" O’Neil\nregel twee', points: 1.5, day: '2026-03-28', at: '2026-03-28T08:00:00.000Z' },
  { name: 'Αλέξανδρος 👩🏽‍🏫', points: -0.25, day: null, at: '2026-03-29T07:00:00.000Z' },
  ...HOSTILE.map((name) => ({ name, points: 2, day: '2026-10-25', at: '2026-10-25T08:00:00.000Z' })),
];

async function* slowly<T>(rows: T[]): AsyncGenerator<T> {
  for (const row of rows) {
    await new Promise((resolve) => setImmediate(resolve));
    yield row;
  }
}

describe('CSV export', () => {
  it('is UTF-8 with a byte-order mark, ";" and CRLF, a decimal comma, dates and Brussels times; read back intact', async () => {
    const bytes = await buffer(csvStream(slowly(ROWS), COLUMNS));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.slice(1, text.indexOf('\r\n'))).toBe('Naam;Studiepunten;Datum;Bijeenkomst');
    const records: string[][] = parse(bytes, { bom: true, delimiter: ';' });
    expect(records[0]).toEqual(['Naam', 'Studiepunten', 'Datum', 'Bijeenkomst']);
    expect(records[1]).toEqual(['Łukasz; "Ann" O’Neil\nregel twee', '1,5', '2026-03-28', '2026-03-28 09:00']);
    expect(records[2]).toEqual(['Αλέξανδρος 👩🏽‍🏫', '-0,25', '', '2026-03-29 09:00']);
    // The Sunday summer time ends: 08:00 UTC is 09:00 in Brussels again.
    expect(records[3]![3]).toBe('2026-10-25 09:00');
    expect(records).toHaveLength(ROWS.length + 1);
  });

  it('neutralises text a spreadsheet would run as a formula', async () => {
    const records: string[][] = parse(await buffer(csvStream(ROWS, COLUMNS)), { bom: true, delimiter: ';' });
    const names = records.slice(3).map((r) => r[0]);
    expect(names).toEqual(HOSTILE.map((h) => `'${h}`));
    for (const name of names) expect(name).not.toMatch(/^[=+\-@\t\r]/);
    expect(neutraliseFormula('Ann')).toBe('Ann');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });
});

describe('XLSX export', () => {
  async function readBack(rows: Iterable<Row> | AsyncIterable<Row>) {
    const workbook = new ExcelJS.Workbook();
    const bytes = await buffer(xlsxStream(rows, COLUMNS, { sheetName: 'Uitvoering R/1: [test]' }));
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    return workbook.worksheets[0]!;
  }

  it('has typed cells (numbers, dates, Brussels times) under a bold, frozen header row', async () => {
    const sheet = await readBack(slowly(ROWS));
    expect(sheet.name).toBe('Uitvoering R 1   test ');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, 'Naam', 'Studiepunten', 'Datum', 'Bijeenkomst']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('Łukasz; "Ann" O’Neil\nregel twee');
    expect(first.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(2).value).toBe(1.5);
    expect(first.getCell(3).value).toEqual(new Date('2026-03-28T00:00:00Z'));
    expect(first.getCell(3).numFmt).toBe('dd/mm/yyyy');
    expect(first.getCell(4).value).toEqual(new Date('2026-03-28T09:00:00Z'));
    expect(first.getCell(4).numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(sheet.getRow(3).getCell(4).value).toEqual(new Date('2026-03-29T09:00:00Z'));
    expect(sheet.getRow(3).getCell(3).value).toBeNull();
    expect(sheet.getRow(3).getCell(1).value).toBe('Αλέξανδρος 👩🏽‍🏫');
    expect(sheet.rowCount).toBe(ROWS.length + 1);
  });

  it('writes text that looks like a formula as a string, never as a formula', async () => {
    const sheet = await readBack(ROWS);
    HOSTILE.forEach((h, i) => {
      const cell = sheet.getRow(4 + i).getCell(1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      // XML reads a carriage return in text as a line feed.
      expect(cell.value).toBe(h.replace('\r', '\n'));
      expect(cell.formula).toBeUndefined();
    });
  });
});

describe('paged sources', () => {
  it('pulls page after page from the last row of the previous one until a page is empty', async () => {
    const all = Array.from({ length: 25 }, (_, i) => i);
    const asked: (number | undefined)[] = [];
    const pages = inPages<number>(async (after) => {
      asked.push(after);
      const from = after === undefined ? 0 : after + 1;
      return all.slice(from, from + 10);
    });
    const seen: number[] = [];
    for await (const n of pages) seen.push(n);
    expect(seen).toEqual(all);
    expect(asked).toEqual([undefined, 9, 19, 24]);
  });
});

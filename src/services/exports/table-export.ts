import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { TIME_ZONE } from '../../domain/dates.ts';

/**
 * Tables as files people open in a spreadsheet: CSV the way Excel in Belgium opens it (UTF-8 with a
 * byte-order mark, `;` between fields, a decimal comma) and XLSX with typed cells (dates as dates,
 * numbers as numbers) and a frozen header row. Both are streams: rows are pulled from the source as
 * the reader takes the file, so the largest export holds a few rows in memory, not all of them.
 *
 * Any export uses it the same way: a source of rows (an array, a generator, or `inPages` over a
 * keyset-paginated query) and the column definitions.
 */

/** How a column's values are written. */
export type ColumnType = 'text' | 'number' | 'date' | 'dateTime';

export interface Column<Row> {
  header: string;
  /** `text`: a string; `number`: a number; `date`: `YYYY-MM-DD`; `dateTime`: an ISO-8601 instant (written in Brussels time). */
  type: ColumnType;
  value: (row: Row) => string | number | null | undefined;
  /** Width in characters in the XLSX file. */
  width?: number;
}

export type RowSource<Row> = Iterable<Row> | AsyncIterable<Row>;

/** Characters with which a spreadsheet starts a formula (or that it drops before one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text a spreadsheet could take for a formula ("=HYPERLINK(...)", "+1", "@SUM", a leading tab or
 * carriage return) made inert with a leading apostrophe, which spreadsheets show as text.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

// Brussels wall-clock parts of an instant; meetings repeat over many rows, so answers are kept.
const wallClockFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const wallClocks = new Map<string, string>();
/** `YYYY-MM-DD HH:MM` in Brussels. */
export function brusselsWallClock(instant: string): string {
  let text = wallClocks.get(instant);
  if (text === undefined) {
    const p = Object.fromEntries(wallClockFormat.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
    text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
    if (wallClocks.size >= 10_000) wallClocks.clear();
    wallClocks.set(instant, text);
  }
  return text;
}

function csvCell(type: ColumnType, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  switch (type) {
    case 'number':
      // No thousands separator; the decimal comma of the `;` dialect.
      return String(value).replace('.', ',');
    case 'date':
      return String(value).slice(0, 10);
    case 'dateTime':
      return brusselsWallClock(String(value));
    case 'text':
      return neutraliseFormula(String(value));
  }
}

/** Rows per piece of CSV written at once: one write per row would cost more than the row itself. */
const CSV_BATCH = 1000;

/** The rows as a CSV stream: BOM, header line, `;`, CRLF, every field quoted where it must be. */
export function csvStream<Row>(rows: RowSource<Row>, columns: readonly Column<Row>[]): Readable {
  const write = (records: string[][], bom: boolean) => Buffer.from(stringify(records, { delimiter: ';', bom, record_delimiter: 'windows' }), 'utf8');
  async function* pieces(): AsyncGenerator<Buffer> {
    let batch: string[][] = [columns.map((c) => neutraliseFormula(c.header))];
    let first = true;
    for await (const row of rows) {
      batch.push(columns.map((c) => csvCell(c.type, c.value(row))));
      if (batch.length >= CSV_BATCH) {
        yield write(batch, first);
        first = false;
        batch = [];
      }
    }
    if (batch.length > 0) yield write(batch, first);
  }
  return Readable.from(pieces(), { objectMode: false });
}

const DATE_FORMAT = 'dd/mm/yyyy';
const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';

// Dates repeat over many rows (a run's meetings): each is worked out once, like the wall clocks above.
const sheetDates = { date: new Map<string, Date>(), dateTime: new Map<string, Date>() };
/** A date for a spreadsheet cell: spreadsheets have no time zones, so the Brussels wall clock as if it were UTC. */
function sheetDate(type: 'date' | 'dateTime', value: string): Date {
  const known = sheetDates[type];
  let date = known.get(value);
  if (date === undefined) {
    date = type === 'date' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : new Date(`${brusselsWallClock(value).replace(' ', 'T')}:00Z`);
    if (known.size >= 10_000) known.clear();
    known.set(value, date);
  }
  return date;
}

function xlsxCell(type: ColumnType, value: string | number | null | undefined): string | number | Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (type === 'number') return Number(value);
  if (type === 'date' || type === 'dateTime') return sheetDate(type, String(value));
  // Strings are written as strings, never as formulas, whatever they start with.
  return String(value);
}

/**
 * The rows as an XLSX stream, written by exceljs's streaming workbook writer: one worksheet, a bold
 * frozen header row, each row committed (and so let go) as soon as it is written. Writing waits
 * whenever the reader falls behind, so memory stays flat however many rows there are.
 */
export function xlsxStream<Row>(rows: RowSource<Row>, columns: readonly Column<Row>[], options: { sheetName: string }): Readable {
  const out = new PassThrough();
  const write = async () => {
    // exceljs and the zip packages it brings are loaded by the first spreadsheet, not at start-up.
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    // Sheet names may not hold []:*?/\ and are at most 31 characters.
    const sheet = workbook.addWorksheet(options.sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1', {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = columns.map((c) => ({
      header: c.header,
      width: c.width ?? (c.type === 'text' ? 24 : c.type === 'dateTime' ? 17 : 12),
      ...(c.type === 'date' ? { style: { numFmt: DATE_FORMAT } } : c.type === 'dateTime' ? { style: { numFmt: DATE_TIME_FORMAT } } : {}),
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    // One style object per column, shared by all its cells: exceljs recognises an object it has seen
    // and reuses its style id, where a fresh copy per cell is worked out again (most of its time).
    const styles = columns.map((c): Partial<ExcelJS.Style> => (c.type === 'date' ? { numFmt: DATE_FORMAT } : c.type === 'dateTime' ? { numFmt: DATE_TIME_FORMAT } : {}));
    // The rows' own style likewise: a row is given a fresh empty one, worked out anew for each row.
    const rowStyle: Partial<ExcelJS.Style> = {};
    let n = 0;
    for await (const row of rows) {
      const line = sheet.addRow(columns.map((c) => xlsxCell(c.type, c.value(row))));
      // exceljs's type of a row leaves out the style object it keeps (and writes) for every row.
      (line as ExcelJS.Row & { style: Partial<ExcelJS.Style> }).style = rowStyle;
      // Empty cells too: they are written with a style as well, and a fresh one each.
      line.eachCell({ includeEmpty: true }, (cell, i) => {
        cell.style = styles[i - 1]!;
      });
      line.commit();
      n += 1;
      if (out.writableNeedDrain) await once(out, 'drain');
      // Lets the zip writer compress what was committed before more rows pile up.
      else if (n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/**
 * The rows of a keyset-paginated query, page after page, as one source for an export: `fetchPage`
 * gets the last row of the previous page (undefined at first) and returns the next page, empty at
 * the end. Only one page is in memory at a time.
 */
export async function* inPages<Row>(fetchPage: (after: Row | undefined) => Promise<Row[]>): AsyncGenerator<Row> {
  let after: Row | undefined;
  for (;;) {
    const page = await fetchPage(after);
    if (page.length === 0) return;
    yield* page;
    after = page.at(-1);
  }
}

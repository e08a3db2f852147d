import type { Context } from 'hono';
import { Readable } from 'node:stream';
import { csvStream, xlsxStream, type Column, type RowSource } from '../../services/exports/table-export.ts';

/** A file name part made safe for a quoted Content-Disposition: ASCII letters, digits, dots and dashes. */
export function safeFileName(part: string): string {
  return part.replace(/[^0-9A-Za-z.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'x';
}

/** A finished document as a download that no shared cache keeps (it names people). */
export function download(c: Context, bytes: Buffer, type: string, fileName: string): Response {
  // A view on the Buffer's own memory: Hono's types want a plain Uint8Array over an ArrayBuffer.
  const body = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  return c.body(body, 200, {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'private, no-store',
  });
}

/**
 * A file written while it is sent (an export): the response streams, the reader's pace sets the
 * writer's, and a failure half-way breaks the download rather than sending a truncated file as whole.
 */
export function streamedDownload(c: Context, stream: Readable, type: string, fileName: string): Response {
  return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'private, no-store',
  });
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The two formats a table is exported in. */
export type TableFormat = 'csv' | 'xlsx';

/**
 * Rows as a streamed CSV or XLSX download through the shared table export (`table-export.ts`): the
 * file is `<fileName>.<format>`, the XLSX worksheet `sheetName`.
 */
export function tableDownload<Row>(c: Context, format: TableFormat, rows: RowSource<Row>, columns: readonly Column<Row>[], names: { fileName: string; sheetName: string }): Response {
  const fileName = `${safeFileName(names.fileName)}.${format}`;
  return format === 'csv'
    ? streamedDownload(c, csvStream(rows, columns), 'text/csv; charset=utf-8', fileName)
    : streamedDownload(c, xlsxStream(rows, columns, { sheetName: names.sheetName }), XLSX_TYPE, fileName);
}

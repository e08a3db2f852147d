import { parse } from 'csv-parse/sync';
import type { ExemptionListLine } from './lifecycle.ts';

/** An exemption list may be this large at most. */
export const MAX_LIST_BYTES = 1024 * 1024;
/** … and have this many lines at most. */
export const MAX_LIST_LINES = 10_000;

/** i18n keys under `lifecycle.refusals`. */
export type ListRefusal = 'list_required' | 'list_too_large' | 'list_not_utf8' | 'list_unreadable' | 'list_too_many_lines';

/** Header cells that name the key column rather than a person (compared in lower case). */
const HEADERS = new Set(['email', 'e-mail', 'e-mailadres', 'emailadres', 'mail', 'personeelsnummer', 'personnel number', 'personnel_number', 'personnelnumber', 'stamnummer']);

/**
 * Reads an exemption list: CSV in UTF-8, with or without a byte-order mark, its cells separated by
 * `;` or `,`. Each line's first cell is an e-mail address or a personnel number; other cells (a
 * name, a remark) are ignored, and a first line of column titles is left out. Returns the lines with
 * their line numbers in the file, or why the file cannot be read.
 */
export function readExemptionList(content: Uint8Array): { lines: ExemptionListLine[] } | { refusal: ListRefusal } {
  if (content.byteLength === 0) return { refusal: 'list_required' };
  if (content.byteLength > MAX_LIST_BYTES) return { refusal: 'list_too_large' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return { refusal: 'list_not_utf8' };
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, delimiter: [';', ','], relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof records;
  } catch {
    return { refusal: 'list_unreadable' };
  }
  if (records.length > MAX_LIST_LINES) return { refusal: 'list_too_many_lines' };
  const lines = records.map((r) => ({ line: r.info.lines, key: r.record.find((cell) => cell.trim() !== '') ?? '' }));
  const first = lines[0];
  if (first && HEADERS.has(first.key.toLowerCase())) lines.shift();
  return { lines };
}

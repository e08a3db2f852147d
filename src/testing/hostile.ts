import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { TestBrowser } from './http.ts';

/** Values that have broken web applications before: injection, markup, control and unusual characters, odd numbers. */
export const HOSTILE: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE enrolments; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)',
  "javascript:alert(1)",
  '<!--',
  ']]>',
  '&amp;&lt;',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '👩🏽‍🏫🎓',
  '\uD800',
  '\uFEFFbom',
  'e\u0301',
  '\u0000',
  'a\u0000b',
  '\r\n',
  'a\r\nSet-Cookie: x=1',
  '\t\u0001\u001f\u007f',
  '../../../etc/passwd',
  '//evil.example',
  '/\\evil.example',
  '/..//evil.example',
  '=HYPERLINK("http://evil.example")',
  '${7*7}{{7*7}}',
  '%00',
  '%',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'true',
  '[object Object]',
  'x'.repeat(5000),
  'y'.repeat(100_000),
  ' ',
  '-1',
  '0',
  '-0',
  '1.5',
  '+1',
  '0x10',
  '1e309',
  '9007199254740993',
  'Infinity',
  'NaN',
  '',
];

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE), weight: 4 },
  { arbitrary: fc.string({ maxLength: 50 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
);

/** `text` with lone surrogates replaced, as a browser does before percent-encoding it. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A hostile path segment: hostile text percent-encoded, or raw escapes that do not decode. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileText.filter((s) => s !== '').map((s) => encodeURIComponent(wellFormed(s))), weight: 4 },
  { arbitrary: fc.constantFrom('%E0%A4%A', '%ZZ', '%00', '%2F..%2F', '..', '.', '%C0%AE'), weight: 1 },
);

/** One of the valid values most of the time, else a hostile one. */
export function mostly(valid: readonly string[], weight = 3): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: fc.constantFrom(...valid), weight }, { arbitrary: hostileText, weight: 1 });
}

export type Field = [string, string | Blob];

/** One form field as a hostile client may send it: once (mostly), missing, repeated, or as a file where text belongs. */
export function field(name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Field[]> {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v): Field[] => [[name, v]]) },
    { weight: 1, arbitrary: fc.constant<Field[]>([]) },
    { weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]): Field[] => [[name, a], [name, b]]) },
    { weight: 1, arbitrary: value.map((v): Field[] => [[name, new File([v], 'x.txt', { type: 'text/plain' })]]) },
  );
}

/** Fields nobody asked for, with hostile names and values (never the CSRF field, which would refuse every request). */
export const junkFields: fc.Arbitrary<Field[]> = fc.array(
  fc.tuple(hostileText.filter((name) => name !== '_csrf'), hostileText).map(([k, v]): Field => [k, v]),
  { maxLength: 2 },
);

/** A whole form: the given fields as a hostile client may send them, plus junk. */
export function hostileForm(...parts: fc.Arbitrary<Field[]>[]): fc.Arbitrary<Field[]> {
  return fc.tuple(junkFields, ...parts).map((lists) => lists.flat());
}

/**
 * How a form is sent: urlencoded (as a browser does), multipart, a multipart body that cannot be read,
 * or a body of another type (the token then travels in its header, as script would send it).
 */
export type Encoding = 'urlencoded' | 'multipart' | 'unreadable' | 'other';
export const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { arbitrary: fc.constant('urlencoded' as const), weight: 8 },
  { arbitrary: fc.constant('multipart' as const), weight: 3 },
  { arbitrary: fc.constant('unreadable' as const), weight: 1 },
  { arbitrary: fc.constant('other' as const), weight: 1 },
);

/** Posts `fields` with the browser's CSRF token, encoded as asked. */
export function sendForm(browser: TestBrowser, path: string, fields: Field[], how: Encoding): Promise<Response> {
  const token = { 'x-csrf-token': browser.csrfToken };
  switch (how) {
    case 'urlencoded':
      return browser.post(path, fields);
    case 'multipart': {
      const form = new FormData();
      form.append('_csrf', browser.csrfToken);
      for (const [k, v] of fields) form.append(k, v);
      return browser.request(path, { method: 'POST', body: form });
    }
    case 'unreadable':
      return browser.request(path, {
        method: 'POST',
        headers: { ...token, 'content-type': 'multipart/form-data; boundary=----grens' },
        body: `------grens\r\nContent-Disposition: form-data; name="${fields[0]?.[0] ?? 'x'}"\r\n\r\nniet afgesloten`,
      });
    case 'other':
      return browser.request(path, {
        method: 'POST',
        headers: { ...token, 'content-type': 'application/json' },
        body: JSON.stringify(fields.map(([k, v]) => [k, typeof v === 'string' ? v : 'file'])),
      });
  }
}

/** Markup that must never reach a page unescaped, whatever was sent. */
export const RAW_MARKUP = ['<script>alert', '<img src=x', '" onmouseover="alert', '<b>Ann</b>'];

export function expectNoRawMarkup(html: string, where: string): void {
  for (const raw of RAW_MARKUP) {
    if (html.includes(raw)) throw new Error(`${where}: the page contains unescaped markup ${JSON.stringify(raw)}`);
  }
}

/** The text of an HTML page with Hono's escapes undone, to look for a message as the reader sees it. */
export function pageText(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * The page with its numeric character references for characters beyond Latin-1 turned back into
 * those characters (the participants page writes them so); Hono's own escapes stay as they are.
 */
export function withCharacterReferencesRead(html: string): string {
  return html.replace(/&#(\d+);/g, (reference, code: string) => (Number(code) > 0xff ? String.fromCodePoint(Number(code)) : reference));
}

/** Hono's escaping of text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const tablesOf = new WeakMap<object, string[]>();

/**
 * A fingerprint of every table, for "a refusal changes nothing". Left out: `sessions.last_seen_at`,
 * which any signed-in request may touch (at most once a minute), and the tables a case names (the
 * login form records each failed attempt on purpose: that is the rate limit).
 */
export async function snapshotDatabase(db: Kysely<Database>, options: { ignore?: readonly string[] } = {}): Promise<string> {
  let tables = tablesOf.get(db);
  if (!tables) {
    tables = (await db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith('kysely_'));
    tables.sort();
    tablesOf.set(db, tables);
  }
  const wanted = tables.filter((name) => !options.ignore?.includes(name));
  const contents = await Promise.all(
    wanted.map(async (name) => {
      const rows = await db.selectFrom(name as keyof Database).selectAll().execute();
      const lines = rows.map((row) => {
        const copy: Record<string, unknown> = { ...row };
        if (name === 'sessions') delete copy.last_seen_at;
        return JSON.stringify(copy);
      });
      return [name, lines.sort()] as const;
    }),
  );
  return JSON.stringify(contents);
}

/** A PDF literal string's bytes, its escapes undone (PDF 32000 §7.3.4.2). */
function pdfLiteral(source: string, start: number): Buffer {
  const bytes: number[] = [];
  let depth = 0;
  for (let i = start; i < source.length; i += 1) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[++i]!;
      const simple: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (next in simple) bytes.push(simple[next]!);
      else if (/[0-7]/.test(next)) {
        const octal = /^[0-7]{1,3}/.exec(source.slice(i, i + 3))![0];
        bytes.push(Number.parseInt(octal, 8) & 0xff);
        i += octal.length - 1;
      } else if (next === '\r' && source[i + 1] === '\n') i += 1;
      else if (next !== '\n' && next !== '\r') bytes.push(next.charCodeAt(0));
      continue;
    }
    if (ch === '(') depth += 1;
    if (ch === ')' && --depth < 0) break;
    bytes.push(ch.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

/** A text string of the PDF's document information (Title, Subject, …), decoded. */
export function pdfInfo(pdf: Buffer, key: string): string | undefined {
  const source = pdf.toString('latin1');
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(source);
  const at = ref ? source.indexOf(`\n${ref[1]} 0 obj\n`) : source.indexOf(`/${key} (`);
  if (at < 0) return undefined;
  const open = source.indexOf('(', at);
  const bytes = pdfLiteral(source, open + 1);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

/**
 * The text a PDF shows, line by line, read back through the fonts' ToUnicode maps (as a PDF reader
 * copies it). Enough for pdfkit's output: Identity-H fonts, hex strings in TJ arrays.
 */
export function pdfTextLines(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const objects = new Map<string, string>();
  for (const m of source.matchAll(/\n(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(m[1]!, m[2]!);
  const streamOf = (obj: string): string => {
    const start = obj.indexOf('stream\n') + 'stream\n'.length;
    const raw = Buffer.from(obj.slice(start, obj.lastIndexOf('\nendstream')), 'latin1');
    return (obj.includes('/FlateDecode') ? inflateSync(raw) : raw).toString('latin1');
  };
  // Font resource name → its ToUnicode map (code → text).
  const fonts = new Map<string, Map<number, string>>();
  for (const obj of objects.values()) {
    const resources = /\/Font <<([^>]*)>>/.exec(obj);
    if (!resources) continue;
    for (const [, name, ref] of resources[1]!.matchAll(/\/(\w+) (\d+) 0 R/g)) {
      const font = objects.get(ref!) ?? '';
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(font);
      if (!toUnicode) continue;
      const cmap = streamOf(objects.get(toUnicode[1]!) ?? '');
      const map = new Map<number, string>();
      const hexText = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex').swap16().toString('utf16le');
      for (const [, from, , list] of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
        let code = Number.parseInt(from!, 16);
        for (const [, hex] of list!.matchAll(/<([0-9a-f ]+)>/gi)) map.set(code++, hexText(hex!));
      }
      for (const [, code, hex] of cmap.matchAll(/^<([0-9a-f]+)> <([0-9a-f]+)>$/gim)) map.set(Number.parseInt(code!, 16), hexText(hex!));
      fonts.set(name!, map);
    }
  }
  const lines: string[] = [];
  for (const obj of objects.values()) {
    if (!obj.includes('stream\n') || obj.includes('/Subtype') || obj.includes('/Length1')) continue;
    let content: string;
    try {
      content = streamOf(obj);
    } catch {
      continue;
    }
    let font = new Map<number, string>();
    for (const m of content.matchAll(/\/(\w+) [\d.]+ Tf|\[((?:<[0-9a-f]*>|\s|-?[\d.]+)*)\] TJ/gi)) {
      if (m[1]) font = fonts.get(m[1]) ?? new Map();
      else {
        let line = '';
        for (const [, hex] of m[2]!.matchAll(/<([0-9a-f]*)>/gi)) {
          for (let i = 0; i + 4 <= hex!.length; i += 4) line += font.get(Number.parseInt(hex!.slice(i, i + 4), 16)) ?? '\uFFFD';
        }
        lines.push(line);
      }
    }
  }
  return lines;
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// pdfkit's built-in Helvetica only encodes Latin-1: "Łukasz", Greek, Cyrillic or Arabic names come
// out garbled. DejaVu Sans (from the `dejavu-fonts-ttf` npm package, so every install has it) covers
// those scripts and is embedded as a subset of the glyphs used.
const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
export function loadFonts() {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

/*
 * DejaVu has no emoji. Noto Emoji (monochrome outlines, from `@fontsource/noto-emoji`) comes as
 * subsets by Unicode range, each a font of its own: a line with emoji is drawn as runs, each in the
 * font that holds its characters.
 */
export interface EmojiFace {
  name: string;
  file: string;
  ranges: [number, number][];
}
let emojiFaces: EmojiFace[] | undefined;
export function loadEmojiFaces(): EmojiFace[] {
  if (emojiFaces) return emojiFaces;
  const css = readFileSync(require.resolve('@fontsource/noto-emoji/400.css'), 'utf8');
  const folder = path.dirname(require.resolve('@fontsource/noto-emoji/400.css'));
  emojiFaces = [...css.matchAll(/url\(\.\/files\/([\w-]+)\.woff2\)[^;]*;\s*unicode-range:\s*([^;]+);/g)].map((m, i) => ({
    name: `Emoji${i}`,
    file: path.join(folder, 'files', `${m[1]}.woff`),
    ranges: m[2]!.split(',').map((range) => {
      const [from, to] = range.trim().slice(2).split('-');
      return [Number.parseInt(from!, 16), Number.parseInt(to ?? from!, 16)] as [number, number];
    }),
  }));
  return emojiFaces;
}

/** Pictographs, the zero-width joiner and the emoji variation selector: what DejaVu lacks and Noto Emoji has. */
const isEmoji = (codePoint: number) => codePoint >= 0x1f000 || codePoint === 0x200d || codePoint === 0xfe0f || codePoint === 0x20e3;

/** `text` cut into runs of one font each: `base` for everything DejaVu draws, an emoji face for the rest. */
export function fontRuns(text: string, base: string): { font: string; text: string }[] | undefined {
  if (![...text].some((c) => isEmoji(c.codePointAt(0)!))) return undefined;
  const faces = loadEmojiFaces();
  const runs: { font: string; text: string }[] = [];
  for (const c of text) {
    const cp = c.codePointAt(0)!;
    const face = isEmoji(cp) ? faces.find((f) => f.ranges.some(([from, to]) => cp >= from && cp <= to)) : undefined;
    const font = face?.name ?? base;
    const last = runs.at(-1);
    if (last?.font === font) last.text += c;
    else runs.push({ font, text: c });
  }
  return runs;
}

/** Registers DejaVu Sans as `Body` and `Bold` on a document. */
export function registerTextFonts(doc: PDFKit.PDFDocument): void {
  const { regular, bold } = loadFonts();
  doc.registerFont('Body', regular);
  doc.registerFont('Bold', bold);
}

/**
 * `text` on one line from (x, y), never wider than `width` and never wrapping: a table cell.
 * Without emoji pdfkit cuts it with an ellipsis; with emoji it is drawn as runs in their fonts,
 * clipped to the width.
 */
export function oneLine(doc: PDFKit.PDFDocument, text: string, base: string, size: number, box: { x: number; y: number; width: number }): void {
  const runs = fontRuns(text, base);
  if (!runs) {
    doc.font(base).fontSize(size);
    doc.text(text, box.x, box.y, { width: box.width, height: doc.currentLineHeight(true), ellipsis: true, lineBreak: true });
    return;
  }
  for (const face of loadEmojiFaces()) if (runs.some((r) => r.font === face.name)) doc.registerFont(face.name, face.file);
  doc.save();
  doc.rect(box.x, box.y - size, box.width, size * 3).clip();
  let x = box.x;
  for (const r of runs) {
    doc.font(r.font).fontSize(size);
    const w = doc.widthOfString(r.text);
    doc.text(r.text, x, box.y, { lineBreak: false });
    x += w;
    if (x > box.x + box.width) break;
  }
  doc.restore();
  doc.font(base).fontSize(size);
}

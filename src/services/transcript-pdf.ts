import { formatDate, formatPoints, type Locale, type Messages } from '../i18n/index.ts';
import type { TranscriptCourse } from '../domain/transcript.ts';
import type { DocumentBranding } from './branding.ts';
import { drawLogo, signatoryText } from './pdf/branding.ts';
import { oneLine, registerTextFonts } from './pdf/fonts.ts';
import type { StudyPointsTranscript } from './transcript.ts';
import { a4Document, brandingOrProduct } from './pdf/document.ts';

const INK = '#1f2933';
const ACCENT = '#1e3a8a';
const MUTED = '#4b5563';
const RULE = '#9aa5b1';
const MARGIN = 48;
const LINE = 20;
const BODY_TOP = 150;

/**
 * The study-points transcript as an A4 PDF: the person, then per calendar year a table of courses
 * (points, points above the maximum by an override, the course maximum) and the year's total, then
 * the total of all years. Lines are whole on a page: a page ends before a line that would not fit,
 * and a year's heading never stands alone at the foot of a page. Every page is numbered.
 */
export async function renderTranscriptPdf(
  transcript: StudyPointsTranscript,
  options: { t: Messages; locale: Locale; now?: Date; branding?: DocumentBranding | undefined },
): Promise<Buffer> {
  const { t, locale } = options;
  const branding = brandingOrProduct(t, options.branding);
  const tt = t.transcript;
  const { doc, finished } = a4Document({ locale, bufferPages: true, info: { Title: `${tt.pdfTitle} – ${transcript.person.name}`, Author: branding.name } });
  registerTextFonts(doc);

  const printed = formatDate(locale, (options.now ?? new Date()).toISOString());
  let y = 0;
  const bottom = () => doc.page.height - MARGIN - 40;
  const newPage = () => {
    doc.addPage();
    const width = doc.page.width - 2 * MARGIN;
    if (branding.logo) drawLogo(doc, branding.logo, { x: doc.page.width - MARGIN - 140, y: MARGIN - 8, width: 140, height: 40, align: 'right' });
    doc.font('Bold').fontSize(9).fillColor(ACCENT).text(branding.name.toUpperCase(), MARGIN, MARGIN, { characterSpacing: 2, width: width - 150, height: 12, ellipsis: true });
    doc.font('Bold').fontSize(20).fillColor(INK).text(tt.pdfTitle, MARGIN, MARGIN + 16, { lineBreak: false });
    oneLine(doc, tt.person(transcript.person.name), 'Bold', 12, { x: MARGIN, y: MARGIN + 46, width });
    doc.font('Body').fontSize(9).fillColor(MUTED).text(tt.printedOn(printed), MARGIN, MARGIN + 66, { lineBreak: false });
    y = BODY_TOP;
  };
  /** Room for `lines` more lines on this page, or a new page. */
  const room = (lines: number) => {
    if (y + lines * LINE > bottom()) newPage();
  };

  newPage();
  const col = { course: MARGIN, points: doc.page.width - MARGIN - 220, overridden: doc.page.width - MARGIN - 140, max: doc.page.width - MARGIN - 60, right: doc.page.width - MARGIN };
  const numbers = (values: string[], font: string) => {
    doc.font(font).fontSize(10).fillColor(INK);
    [col.points, col.overridden, col.max].forEach((x, i) => {
      if (values[i]) doc.text(values[i]!, x, y + 5, { width: 60, align: 'right', lineBreak: false });
    });
  };
  const rule = (weight: number) => doc.lineWidth(weight).strokeColor(weight > 0.6 ? INK : RULE).moveTo(MARGIN, y + LINE).lineTo(col.right, y + LINE).stroke();

  if (transcript.years.length === 0) doc.font('Body').fontSize(11).fillColor(INK).text(tt.none, MARGIN, y);
  for (const year of transcript.years) {
    // The year's heading, its column titles and at least one course together.
    room(4);
    doc.font('Bold').fontSize(13).fillColor(ACCENT).text(tt.yearCaption(year.year), MARGIN, y + 4, { lineBreak: false });
    y += LINE + 6;
    const titles = () => {
      doc.font('Bold').fontSize(8).fillColor(MUTED);
      doc.text(tt.course, col.course, y + 7, { lineBreak: false });
      [tt.points, tt.overridden, tt.maximum].forEach((title, i) => {
        doc.text(title, [col.points, col.overridden, col.max][i]! - 20, y + 7, { width: 80, align: 'right', height: LINE, ellipsis: true });
      });
      rule(1);
      y += LINE;
    };
    titles();
    year.courses.forEach((line: TranscriptCourse) => {
      if (y + LINE > bottom()) {
        newPage();
        titles();
      }
      doc.fillColor(INK);
      oneLine(doc, `${line.courseTitle} (${line.courseCode})`, 'Body', 10, { x: col.course, y: y + 5, width: col.points - col.course - 12 });
      numbers([formatPoints(locale, line.points), line.overriddenPoints > 0 ? formatPoints(locale, line.overriddenPoints) : '–', formatPoints(locale, line.maxStudyPoints)], 'Body');
      rule(0.5);
      y += LINE;
    });
    room(1);
    doc.font('Bold').fontSize(10).fillColor(INK).text(tt.yearTotal(year.year), col.course, y + 5, { lineBreak: false });
    numbers([formatPoints(locale, year.total)], 'Bold');
    y += LINE * 2;
  }
  if (transcript.years.length > 0) {
    room(1);
    doc.font('Bold').fontSize(11).fillColor(INK).text(`${tt.total}: ${formatPoints(locale, transcript.total)}`, MARGIN, y + 5, { lineBreak: false });
  }

  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    const footY = doc.page.height - MARGIN + 14;
    doc.font('Body').fontSize(8).fillColor(MUTED);
    doc.text(tt.pdfTitle, MARGIN, footY, { lineBreak: false });
    doc.text(tt.page(i - start + 1, count), MARGIN, footY, { width: doc.page.width - 2 * MARGIN, align: 'right', lineBreak: false });
    const signatory = signatoryText(branding);
    if (signatory) oneLine(doc, `${t.branding.signatory}: ${signatory}`, 'Body', 8, { x: MARGIN, y: footY - 14, width: doc.page.width - 2 * MARGIN });
  }
  doc.end();
  return finished;
}

import PDFDocument from 'pdfkit';
import { TIME_ZONE } from '../domain/dates.ts';
import { pageRanges } from '../domain/attendance-sheet.ts';
import { formatPoints, formatTime, type Locale, type Messages } from '../i18n/index.ts';
import type { AttendanceSheet } from './attendance-sheet.ts';
import type { DocumentBranding } from './branding.ts';
import { drawLogo, signatoryText } from './pdf/branding.ts';
import { oneLine, registerTextFonts } from './pdf/fonts.ts';
import { a4Document, brandingOrProduct } from './pdf/document.ts';

const INK = '#1f2933';
const ACCENT = '#1e3a8a';
const MUTED = '#4b5563';
const RULE = '#9aa5b1';

/** A4 portrait in points, and the sheet's fixed geometry: every line is one row of the same height. */
const MARGIN = 48;
const ROW_HEIGHT = 30;
const TABLE_TOP = 176;
const FOOTER_SPACE = 56;

type Meeting = AttendanceSheet['meetings'][number];

function meetingDate(locale: Locale, instant: string): string {
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-BE' : 'en-GB', {
    timeZone: TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(instant));
}

/**
 * The attendance sheet (presentielijst) as an A4 PDF: per meeting a section that starts on a new
 * page, headed by the course, run, teachers and the meeting's date, time and place, then one line
 * per participant with a box to sign. Lines all have the same height and a page holds only whole
 * lines, so a page break never splits one; the heading and column titles repeat on every page and
 * each page is numbered. Names in any script come out intact (embedded DejaVu Sans and Noto Emoji).
 */
export async function renderAttendanceSheetPdf(sheet: AttendanceSheet, options: { t: Messages; locale: Locale; branding?: DocumentBranding | undefined }): Promise<Buffer> {
  const { t, locale } = options;
  const branding = brandingOrProduct(t, options.branding);
  const ts = t.attendanceSheet;
  const { doc, finished } = a4Document({ locale, bufferPages: true, info: { Title: `${ts.title} ${sheet.run.code}`, Author: branding.name, Subject: sheet.run.course_title } });
  registerTextFonts(doc);

  const sections: (Meeting | undefined)[] = sheet.meetings.length > 0 ? sheet.meetings : [undefined];
  for (const meeting of sections) drawSection(doc, sheet, meeting, { t, locale, branding });

  // Page numbers last, once the number of pages is known.
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    const y = doc.page.height - MARGIN + 14;
    doc.font('Body').fontSize(8).fillColor(MUTED);
    doc.text(`${ts.title} · ${sheet.run.code}`, MARGIN, y, { lineBreak: false });
    doc.text(ts.page(i - start + 1, count), MARGIN, y, { width: doc.page.width - 2 * MARGIN, align: 'right', lineBreak: false });
    const signatory = signatoryText(branding);
    if (signatory) oneLine(doc, `${t.branding.signatory}: ${signatory}`, 'Body', 8, { x: MARGIN, y: y - 14, width: doc.page.width - 2 * MARGIN });
  }
  doc.end();
  return finished;
}

type Options = { t: Messages; locale: Locale; branding: DocumentBranding };

function drawSection(doc: PDFKit.PDFDocument, sheet: AttendanceSheet, meeting: Meeting | undefined, options: Options): void {
  const { t } = options;
  doc.addPage();
  const bottom = doc.page.height - FOOTER_SPACE - MARGIN;
  const perPage = Math.floor((bottom - TABLE_TOP - ROW_HEIGHT) / ROW_HEIGHT);
  const ranges = pageRanges(sheet.participants.length, perPage);
  ranges.forEach(([from, to], index) => {
    if (index > 0) doc.addPage();
    drawHeading(doc, sheet, meeting, options);
    if (!meeting) {
      doc.font('Body').fontSize(11).fillColor(INK).text(t.attendanceSheet.noMeetings, MARGIN, TABLE_TOP);
      return;
    }
    drawColumnTitles(doc, t);
    if (sheet.participants.length === 0) {
      doc.font('Body').fontSize(11).fillColor(INK).text(t.attendanceSheet.noParticipants, MARGIN, TABLE_TOP + ROW_HEIGHT + 8);
    }
    for (let i = from; i < to; i += 1) drawLine(doc, i, sheet.participants[i]!.name, TABLE_TOP + ROW_HEIGHT * (i - from + 1));
  });
}

const columns = (pageWidth: number) => {
  const right = pageWidth - MARGIN;
  return { number: MARGIN, name: MARGIN + 32, signature: right - 190, right };
};

function drawHeading(doc: PDFKit.PDFDocument, sheet: AttendanceSheet, meeting: Meeting | undefined, options: Options): void {
  const { t, locale, branding } = options;
  const ts = t.attendanceSheet;
  const width = doc.page.width - 2 * MARGIN;
  // The logo in the top right corner, beside the name and title.
  if (branding.logo) drawLogo(doc, branding.logo, { x: doc.page.width - MARGIN - 140, y: MARGIN - 8, width: 140, height: 40, align: 'right' });
  doc.font('Bold').fontSize(9).fillColor(ACCENT).text(branding.name.toUpperCase(), MARGIN, MARGIN, { characterSpacing: 2, width: width - 150, height: 12, ellipsis: true });
  doc.font('Bold').fontSize(20).fillColor(INK).text(ts.title, MARGIN, MARGIN + 16, { lineBreak: false });
  oneLine(doc, sheet.run.course_title, 'Bold', 13, { x: MARGIN, y: MARGIN + 46, width });
  oneLine(doc, ts.run(sheet.run.code, sheet.teachers.join(', ')), 'Body', 10, { x: MARGIN, y: MARGIN + 66, width });
  if (meeting) {
    const when = ts.meeting(meetingDate(locale, meeting.starts_at), formatTime(locale, meeting.starts_at), formatTime(locale, meeting.ends_at));
    doc.font('Bold').fontSize(11).fillColor(INK).text(when, MARGIN, MARGIN + 86, { width, lineBreak: false });
    oneLine(doc, ts.place(meeting.place, formatPoints(locale, meeting.study_points)), 'Body', 10, { x: MARGIN, y: MARGIN + 104, width });
  }
}

function drawColumnTitles(doc: PDFKit.PDFDocument, t: Messages): void {
  const col = columns(doc.page.width);
  const y = TABLE_TOP;
  doc.font('Bold').fontSize(9).fillColor(MUTED);
  doc.text(t.attendanceSheet.number, col.number, y + 12, { lineBreak: false });
  doc.text(t.attendanceSheet.name, col.name, y + 12, { lineBreak: false });
  doc.text(t.attendanceSheet.signature, col.signature + 6, y + 12, { lineBreak: false });
  doc.lineWidth(1).strokeColor(INK).moveTo(MARGIN, y + ROW_HEIGHT).lineTo(col.right, y + ROW_HEIGHT).stroke();
}

function drawLine(doc: PDFKit.PDFDocument, index: number, name: string, y: number): void {
  const col = columns(doc.page.width);
  doc.font('Body').fontSize(9).fillColor(MUTED).text(String(index + 1), col.number, y + 11, { lineBreak: false });
  doc.fillColor(INK);
  oneLine(doc, name, 'Body', 11, { x: col.name, y: y + 10, width: col.signature - col.name - 12 });
  // The signature box, and the rule under the whole line.
  doc.lineWidth(0.75).strokeColor(RULE).rect(col.signature, y + 4, col.right - col.signature, ROW_HEIGHT - 8).stroke();
  doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN, y + ROW_HEIGHT).lineTo(col.right, y + ROW_HEIGHT).stroke();
}

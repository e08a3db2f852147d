import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { TIME_ZONE } from '../domain/dates.ts';
import { formatPoints, type Locale, type Messages } from '../i18n/index.ts';
import type { CertificateWithHolder } from '../repositories/certificates.ts';
import type { DocumentBranding } from './branding.ts';
import { drawLogo, signatoryText } from './pdf/branding.ts';
import { fontRuns, loadEmojiFaces, loadFonts, oneLine } from './pdf/fonts.ts';
import { a4Document, brandingOrProduct } from './pdf/document.ts';

const INK = '#1f2933';
const ACCENT = '#1e3a8a';
const MUTED = '#4b5563';

/** A date (`YYYY-MM-DD`) or instant written out in full, in Brussels, as a certificate states it. */
function longDate(locale: Locale, value: string): string {
  const date = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-BE' : 'en-GB', { timeZone: TIME_ZONE, dateStyle: 'long' }).format(date);
}

/**
 * The certificate as a one-page A4 PDF (R3): participant, course, completion date, study points,
 * certificate number, verification code and a QR code to the public verification page. Written in
 * the reader's language and tagged (headings, paragraphs, the QR code as a figure with its address
 * as alternative text) so screen readers can read it.
 */
export async function renderCertificatePdf(
  certificate: CertificateWithHolder,
  options: { t: Messages; locale: Locale; verifyUrl: string; branding?: DocumentBranding | undefined },
): Promise<Buffer> {
  const { t, locale, verifyUrl } = options;
  const branding = brandingOrProduct(t, options.branding);
  const tc = t.certificate;
  const { regular, bold } = loadFonts();

  const { doc, finished } = a4Document({
    locale,
    layout: 'landscape',
    tagged: true,
    info: { Title: `${tc.title} ${certificate.number}`, Author: branding.name, Subject: `${certificate.course_title} – ${certificate.participant_name}` },
  });

  doc.registerFont('Body', regular);
  doc.registerFont('Bold', bold);

  const width = doc.page.width;
  const height = doc.page.height;
  const column = { x: 90, width: width - 180 };

  // The frame is decoration: marked as an artifact so assistive technology skips it.
  doc.markContent('Artifact', { type: 'Layout' });
  doc.lineWidth(3).strokeColor(ACCENT).rect(24, 24, width - 48, height - 48).stroke();
  doc.lineWidth(0.75).rect(32, 32, width - 64, height - 64).stroke();
  doc.endMarkedContent();

  const root = doc.struct('Document');
  doc.addStructure(root);
  const block = (tag: string, draw: () => void) => root.add(doc.struct(tag, {}, [draw]));
  const centred = { align: 'center' as const, width: column.width };

  if (branding.logo) {
    const logo = branding.logo;
    root.add(doc.struct('Figure', { alt: t.branding.logoAlt(branding.name) }, [() => drawLogo(doc, logo, { x: 48, y: 44, width: 120, height: 44, align: 'left' })]));
  }
  block('P', () => {
    doc.font('Bold').fontSize(12).fillColor(ACCENT).text(branding.name.toUpperCase(), column.x, 62, { ...centred, characterSpacing: 3, height: 16, ellipsis: true });
  });
  block('H1', () => {
    doc.font('Bold').fontSize(36).fillColor(INK).text(tc.title, column.x, 86, centred);
  });
  block('P', () => {
    doc.font('Body').fontSize(14).fillColor(INK).text(tc.statement, column.x, 156, centred);
    doc.moveDown(0.4);
    // Two lines at most: a very long name must not push the rest off the page.
    mixedLine(doc, certificate.participant_name, 'Bold', 26, { x: column.x, width: column.width, height: 70 });
    doc.moveDown(0.4);
    doc.font('Body').fontSize(14).text(tc.completedCourse, centred);
    doc.moveDown(0.3);
    mixedLine(doc, certificate.course_title, 'Bold', 20, { x: column.x, width: column.width, height: 54 });
    doc.moveDown(0.3);
    doc.font('Body').fontSize(14).text(tc.completedOn(longDate(locale, certificate.completed_on)), centred);
  });
  block('P', () => {
    doc.moveDown(0.6);
    doc.font('Bold').fontSize(14).text(tc.studyPoints(formatPoints(locale, Number(certificate.study_points))), centred);
  });

  // Bottom: the facts to quote on the left, the QR code to scan on the right.
  const qrSize = 104;
  const qrX = width - column.x - qrSize;
  const qrY = height - 62 - qrSize;
  const factsY = qrY + 4;
  const facts: [string, string][] = [
    [tc.number, certificate.number],
    [tc.verificationCode, certificate.verification_code],
    [tc.issuedOn, longDate(locale, certificate.issued_at)],
  ];
  const signatory = signatoryText(branding);
  if (signatory) {
    // Beside the facts, above the verification address: a signature rule, the name and the title.
    const x = column.x + 250;
    const w = qrX - x - 24;
    block('P', () => {
      doc.lineWidth(0.75).strokeColor(MUTED).moveTo(x, factsY + 16).lineTo(x + w, factsY + 16).stroke();
      doc.fillColor(MUTED);
      oneLine(doc, t.branding.signatory, 'Body', 8, { x, y: factsY + 2, width: w });
      doc.fillColor(INK);
      oneLine(doc, branding.signatoryName ?? '', 'Bold', 10, { x, y: factsY + 20, width: w });
      if (branding.signatoryTitle) oneLine(doc, branding.signatoryTitle, 'Body', 9, { x, y: factsY + 34, width: w });
    });
  }
  block('P', () => {
    let y = factsY;
    for (const [label, value] of facts) {
      doc.font('Body').fontSize(10).fillColor(MUTED).text(`${label}: `, column.x, y, { continued: true });
      doc.font('Bold').fillColor(INK).text(value);
      y += 16;
    }
    doc.font('Body').fontSize(10).fillColor(MUTED).text(tc.verifyAt, column.x, y + 8, { width: qrX - column.x - 24 });
    doc.fillColor(ACCENT).text(verifyUrl, { width: qrX - column.x - 24, link: verifyUrl, underline: true });
  });
  root.add(
    doc.struct('Figure', { alt: `${tc.verifyAt} ${verifyUrl}` }, [
      () => drawQrCode(doc, verifyUrl, qrX, qrY, qrSize),
    ]),
  );

  root.end();
  doc.end();
  return finished;
}

/**
 * A name or title, centred. Without emoji: at most `box.height` of wrapped lines, cut with an ellipsis.
 * With emoji: one line of runs in their fonts, laid out here (pdfkit misplaces centred text written
 * in parts), made smaller until it fits the width (at most half size; beyond, it is cut).
 */
function mixedLine(doc: PDFKit.PDFDocument, text: string, base: string, size: number, box: { x: number; width: number; height: number }): void {
  const runs = fontRuns(text, base);
  if (!runs) {
    doc.font(base).fontSize(size).text(text, box.x, doc.y, { align: 'center', width: box.width, height: box.height, ellipsis: true });
    return;
  }
  for (const face of loadEmojiFaces()) if (runs.some((r) => r.font === face.name)) doc.registerFont(face.name, face.file);
  const widthAt = (fontSize: number) => runs.reduce((sum, r) => sum + doc.font(r.font).fontSize(fontSize).widthOfString(r.text), 0);
  let fontSize = size;
  while (fontSize > size / 2 && widthAt(fontSize) > box.width) fontSize -= 1;
  const y = doc.y;
  let x = box.x + Math.max(0, (box.width - widthAt(fontSize)) / 2);
  for (const r of runs) {
    doc.font(r.font).fontSize(fontSize);
    const w = doc.widthOfString(r.text);
    doc.text(r.text, x, y, { lineBreak: false });
    x += w;
  }
  doc.font(base).fontSize(size);
  doc.x = box.x;
  doc.y = y + doc.currentLineHeight(true);
}

/**
 * Draws a QR code as vector squares (sharp at any zoom and print size), with the standard quiet
 * zone of four modules around it.
 */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 4;
  const module = size / (count + 2 * quiet);
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * module, y + (row + quiet) * module, module, module);
    }
  }
  doc.fill('#000000');
}

import SVGtoPDF from 'svg-to-pdfkit';
import type { DocumentBranding } from '../branding.ts';

/**
 * The organisation's logo drawn into a box of a PDF page, keeping its proportions and aligned to the
 * box's left or right edge: a PNG as an image, an SVG as vector paths (svg-to-pdfkit), so it stays
 * sharp in print. SVGs were checked when uploaded (no scripts, no references to other files).
 */
export function drawLogo(doc: PDFKit.PDFDocument, logo: NonNullable<DocumentBranding['logo']>, box: { x: number; y: number; width: number; height: number; align: 'left' | 'right' | 'center' }): void {
  if (logo.type === 'image/png') {
    // pdfkit places a fitted image at the box's left and top unless told otherwise.
    doc.image(logo.bytes, box.x, box.y, { fit: [box.width, box.height], ...(box.align === 'left' ? {} : { align: box.align }) });
    return;
  }
  const align = box.align === 'left' ? 'xMin' : box.align === 'right' ? 'xMax' : 'xMid';
  // The typings declare the document's class where the function takes the document itself.
  SVGtoPDF(doc as unknown as Parameters<typeof SVGtoPDF>[0], logo.bytes.toString('utf8'), box.x, box.y, {
    width: box.width,
    height: box.height,
    preserveAspectRatio: `${align}YMin meet`,
  });
}

/** "Name, title" of the signatory, or undefined when none is set. */
export function signatoryText(branding: DocumentBranding): string | undefined {
  if (!branding.signatoryName) return undefined;
  return branding.signatoryTitle ? `${branding.signatoryName}, ${branding.signatoryTitle}` : branding.signatoryName;
}

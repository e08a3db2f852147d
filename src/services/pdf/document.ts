import PDFDocument from 'pdfkit';
import type { Locale, Messages } from '../../i18n/index.ts';
import type { DocumentBranding } from '../branding.ts';

/** Without an organisation's own look: the product's name, no logo, no signatory. */
export function brandingOrProduct(t: Messages, branding: DocumentBranding | undefined): DocumentBranding {
  return branding ?? { name: t.product, signatoryName: null, signatoryTitle: null, logo: null };
}

/**
 * A new A4 PDF document in the reader's language, its title shown by viewers, and the whole file as a
 * buffer once the document is ended (`finished`).
 */
export function a4Document(options: {
  locale: Locale;
  info: PDFKit.DocumentInfo;
  layout?: 'portrait' | 'landscape';
  /** Keep pages open, to number them once all are made. */
  bufferPages?: boolean;
  tagged?: boolean;
}): { doc: PDFKit.PDFDocument; finished: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.layout ?? 'portrait',
    margin: 0,
    ...(options.bufferPages ? { bufferPages: true, autoFirstPage: false } : {}),
    ...(options.tagged ? { tagged: true } : {}),
    pdfVersion: '1.7',
    lang: options.locale === 'nl' ? 'nl-BE' : 'en-GB',
    displayTitle: true,
    info: options.info,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, finished };
}

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PDF's text as poppler's `pdftotext` reads it (what a reader copies), one string per page, in
 * reading order with the layout kept (`-layout`), normalised to NFKC so Arabic presentation forms
 * read as the letters typed.
 */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const folder = await mkdtemp(path.join(tmpdir(), 'pdf-text-'));
  try {
    const file = path.join(folder, 'document.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
    const pages = stdout.normalize('NFKC').split('\f');
    // pdftotext ends every page with a form feed: the last part is empty.
    if (pages.at(-1)?.trim() === '') pages.pop();
    return pages;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

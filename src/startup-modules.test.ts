import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

/*
 * What the server loads before its first answer: the entry and the app it imports at start,
 * with every module they import statically. Packages used only by rare pages and jobs (PDF,
 * spreadsheets, the knowledge centre's Markdown, calendar feeds, sending e-mail) must not be among
 * them: they cost start-up time (bench G) in every process, for work most processes never do.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RARE = ['exceljs', 'pdfkit', 'qrcode', 'marked', 'sanitize-html', 'nodemailer', 'ical-generator', 'svg-to-pdfkit'];

/**
 * The packages the modules reachable from `entries` import statically. The bundle compiles every
 * module into one file, but a module reached only through `import()` runs, and requires its packages,
 * when it is first imported; so what runs at start is the source graph of static imports.
 */
function packagesLoadedWith(metafile: Metafile, entries: readonly string[]): Set<string> {
  for (const entry of entries) expect(metafile.inputs[entry]).toBeDefined();
  const queue = [...entries];
  const seen = new Set<string>();
  const packages = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of metafile.inputs[file]!.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) packages.add(imported.path.startsWith('@') ? imported.path.split('/').slice(0, 2).join('/') : imported.path.split('/')[0]!);
      else queue.push(imported.path);
    }
  }
  return packages;
}

describe('start-up', () => {
  it('loads none of the rare pages’ packages before the first answer', { timeout: 60_000 }, async () => {
    const { serverBuild } = (await import(path.join(root, 'scripts', 'build.mjs') as string)) as { serverBuild: BuildOptions };
    const { metafile } = await build({ ...serverBuild, write: false, metafile: true, logLevel: 'silent' });
    const loaded = packagesLoadedWith(metafile, ['src/server.ts', 'src/app.tsx']);
    expect(loaded.has('pino')).toBe(true); // the walk does find the packages the server loads
    expect(RARE.filter((name) => loaded.has(name))).toEqual([]);
    // The PostgreSQL driver is loaded by the first PostgreSQL store, never on the embedded database.
    expect(loaded.has('pg')).toBe(false);
    // argon2 is loaded by the first password checked or set.
    expect(loaded.has('@node-rs/argon2')).toBe(false);
  });
});

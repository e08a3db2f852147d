import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The stylesheet and the bundled progressive-enhancement script served under /static. */
export interface ClientAssets {
  css: string;
  js: string;
}

const clientDir = fileURLToPath(new URL('./', import.meta.url));

/**
 * Builds the client assets from their sources. The compiled server (`npm run build`) never calls
 * this: the build puts the finished assets in its place, so no bundler runs in the server's process;
 * this path serves the tests and tools that run the TypeScript sources directly.
 */
export function buildClientAssets(): ClientAssets {
  const bundle = buildSync({
    entryPoints: [`${clientDir}app.ts`],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
  });
  return { css: readFileSync(`${clientDir}app.css`, 'utf8'), js: bundle.outputFiles[0]!.text };
}

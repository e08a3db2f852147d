import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests run in Debian's Chromium (`apt-get install -y chromium`); Playwright's own browser
 * download is unreachable here, so never run `playwright install`.
 * E2E_CHROMIUM_PATH points elsewhere, e.g. to prove that a missing browser is reported as skipped.
 */
const CHROMIUM = process.env.E2E_CHROMIUM_PATH ?? '/usr/bin/chromium';
const CI = process.env.CI === 'true';
const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;
// A second server on an empty database (no demo data), for the journey of an organisation that starts from nothing.
const EMPTY_PORT = PORT + 1;
process.env.PRESENTIA_E2E_EMPTY_URL = `http://127.0.0.1:${EMPTY_PORT}`;
const RESULTS = resolve('test-results');

const hasChromium = existsSync(CHROMIUM);
// Playwright loads this file in the runner and again in every worker: only the runner reports and prepares.
const isRunner = process.env.TEST_WORKER_INDEX === undefined;

if (!hasChromium && CI) {
  throw new Error(`Chromium not found at ${CHROMIUM}: browser tests cannot run under CI. Install it with: apt-get install -y chromium`);
}
if (!hasChromium && isRunner) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!!  BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n` +
      `!!  Install it with: apt-get install -y chromium   (never 'playwright install')\n${line}\n`,
  );
}

// A fresh database for every run, so tests start from the demo data and never from a previous run's
// leftovers. The runner picks the folder and hands it to the workers through the environment.
if (isRunner && !process.env.PRESENTIA_E2E_DATA_DIR && hasChromium) {
  mkdirSync(RESULTS, { recursive: true });
  for (const old of readdirSync(RESULTS).filter((name) => name.startsWith('e2e-data-'))) {
    rmSync(resolve(RESULTS, old), { recursive: true, force: true });
  }
  process.env.PRESENTIA_E2E_DATA_DIR = resolve(RESULTS, `e2e-data-${Date.now()}`);
  mkdirSync(process.env.PRESENTIA_E2E_DATA_DIR, { recursive: true });
  process.env.PRESENTIA_E2E_EMPTY_DATA_DIR = resolve(process.env.PRESENTIA_E2E_DATA_DIR, 'empty');
  mkdirSync(process.env.PRESENTIA_E2E_EMPTY_DATA_DIR, { recursive: true });
}
const dataDir = process.env.PRESENTIA_E2E_DATA_DIR ?? resolve(RESULTS, 'e2e-data-unused');
const emptyDataDir = process.env.PRESENTIA_E2E_EMPTY_DATA_DIR ?? resolve(RESULTS, 'e2e-data-unused', 'empty');

/**
 * The compiled server, as `npm start` runs it; always the embedded SQLite file in its fresh folder,
 * even when the shell names a PostgreSQL.
 */
function testServer(port: number, folder: string, demo: boolean) {
  return {
    command: 'env -u DATABASE_URL node scripts/start.mjs',
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
    env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: folder, SEED_DEMO: String(demo), LOG_LEVEL: 'warn' },
  };
}

export default defineConfig({
  testDir: 'e2e',
  // Playwright empties its output folder on start; keep it apart from the run's database folder.
  outputDir: 'test-results/e2e-artifacts',
  // One worker: the specs share one server and one database, and some change what others read
  // (a user's language, registrations), so running them one after another keeps them independent.
  workers: 1,
  fullyParallel: false,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: BASE_URL,
    // Dutch is the product's default language; Chromium would otherwise send en-US.
    locale: 'nl-BE',
    timezoneId: 'Europe/Brussels',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  // Without a browser there is nothing to serve: the tests skip (see e2e/helpers.ts).
  webServer: hasChromium
    ? [
        // The demo organisation, which most specs use.
        testServer(PORT, dataDir, true),
        // The same server on a new installation without demo data (e2e/empty-installation.spec.ts).
        testServer(EMPTY_PORT, emptyDataDir, false),
      ]
    : undefined,
});

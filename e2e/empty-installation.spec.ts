import { execFileSync } from 'node:child_process';
import type { Browser, Page } from '@playwright/test';
import { expect, expectNoA11yViolations, login, logout, test } from './helpers.ts';

/**
 * An organisation starts from nothing: a new installation without demo data (its own server, see
 * playwright.config.ts). The first administrator comes from the command line; the administrator then
 * creates a teacher, a course with a run and three meetings, assigns the teacher, and enrols the
 * participants from CSV files; the teacher signs in, finds the run under Mijn te geven opleidingen
 * and registers attendance at the first meeting.
 */

const EMPTY_URL = process.env.PRESENTIA_E2E_EMPTY_URL!;
const EMPTY_DATA_DIR = process.env.PRESENTIA_E2E_EMPTY_DATA_DIR!;

const ADMIN = { email: 'hoofdkantoor@vormingscentrum.test', name: 'Hilde Claes', password: 'eerste-beheerder-2026' };
const TEACHER = { email: 'lesgever@vormingscentrum.test', name: 'Pieter Maes', password: 'lesgever-wachtwoord' };
const PARTICIPANTS = [
  { email: 'an.peeters@vormingscentrum.test', name: 'An Peeters' },
  { email: 'yusuf.demir@vormingscentrum.test', name: 'Yusuf Demir' },
  { email: 'zoë.wouters@vormingscentrum.test', name: 'Zoë Wouters' },
];

test.use({ baseURL: EMPTY_URL });
test.describe.configure({ timeout: 240_000 });

/** A Brussels calendar date `days` from today (`YYYY-MM-DD`). */
function dateFromToday(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date(Date.now() + days * 86_400_000));
}

/** The first administrator, as the README's quick start says: from the command line, password on standard input. */
function createFirstAdministrator(): string {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: EMPTY_DATA_DIR, SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'create-user', '--email', ADMIN.email, '--name', ADMIN.name, '--roles', 'admin'],
    { env, input: `${ADMIN.password}\n`, encoding: 'utf8' },
  );
}

async function addMeeting(page: Page, date: string, start: string, end: string): Promise<void> {
  const form = page.locator('form[action$="/meetings"]');
  await form.getByLabel('Datum').fill(date);
  await form.getByLabel('Beginuur').fill(start);
  await form.getByLabel('Einduur').fill(end);
  await form.getByLabel('Studiepunten').fill('1');
  await form.getByRole('button', { name: 'Bijeenkomst toevoegen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'De bijeenkomst is toegevoegd.' })).toBeVisible();
}

async function importCsv(page: Page, kind: 'Gebruikers' | 'Inschrijvingen', name: string, content: string, preview: string): Promise<void> {
  await page.goto('/admin/imports');
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByLabel('CSV-bestand').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  await page.getByRole('button', { name: 'Voorbeeld tonen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Voorbeeld van ${name}` })).toBeVisible();
  await expect(page.getByText(preview)).toBeVisible();
  await page.getByRole('button', { name: 'Alles importeren' }).click();
  await expect(page.getByText(/Geïmporteerd: 3 nieuw, 0 gewijzigd/)).toBeVisible();
}

/** The administrator creates the teacher's account; the teacher chooses a password through the one-time link. */
async function createTeacher(page: Page, browser: Browser): Promise<void> {
  await page.goto('/admin/users/new');
  await page.getByLabel('E-mailadres').fill(TEACHER.email);
  await page.getByLabel('Naam').fill(TEACHER.name);
  await page.getByLabel('Docent').check();
  await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  const link = await page.locator('#password-link-url').inputValue();
  const context = await browser.newContext({ baseURL: EMPTY_URL, locale: 'nl-BE' });
  const visitor = await context.newPage();
  await visitor.goto(link);
  await visitor.getByLabel('Nieuw wachtwoord', { exact: true }).fill(TEACHER.password);
  await visitor.getByLabel('Herhaal het nieuwe wachtwoord').fill(TEACHER.password);
  await visitor.getByRole('button', { name: 'Wachtwoord bewaren' }).click();
  await expect(visitor.getByText('Je wachtwoord is bewaard.')).toBeVisible();
  await context.close();
}

test('from an empty database: the first administrator sets up a course, a run and its participants; the teacher registers attendance', async ({
  page,
  browser,
}) => {
  expect(createFirstAdministrator()).toContain(ADMIN.email);
  await login(page, ADMIN.email, ADMIN.password);

  // Nothing but the administrator: no courses, no runs.
  await page.goto('/admin/courses');
  await expect(page.locator('table.data tbody tr')).toHaveCount(0);
  await expectNoA11yViolations(page, 'the empty course list');

  await createTeacher(page, browser);

  await page.goto('/admin/courses/new');
  await page.getByLabel('Titel').fill('Eerste hulp op de werkvloer');
  await page.getByLabel('Code', { exact: true }).fill('EHBO-WV');
  await page.getByLabel('Soort').selectOption('classroom');
  await page.getByLabel('Maximum aantal studiepunten').fill('3');
  await page.getByRole('button', { name: 'Opleiding aanmaken' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'De opleiding is aangemaakt.' })).toBeVisible();

  // The run began yesterday: its first meeting has taken place, the other two are to come.
  const [yesterday, nextWeek, inTwoWeeks] = [dateFromToday(-1), dateFromToday(6), dateFromToday(13)];
  await page.getByRole('link', { name: 'Nieuwe uitvoering' }).click();
  await page.getByLabel('Code van de uitvoering').fill('EHBO-WV-GENT-1');
  await page.getByLabel('Plaats').fill('Gent');
  await page.getByLabel('Maximum aantal deelnemers').fill('12');
  await page.getByLabel('Begindatum').fill(yesterday);
  await page.getByLabel('Einddatum').fill(inTwoWeeks);
  await page.getByRole('button', { name: 'Uitvoering aanmaken' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'De uitvoering is aangemaakt.' })).toBeVisible();
  await addMeeting(page, yesterday, '09:00', '12:00');
  await addMeeting(page, nextWeek, '09:00', '12:00');
  await addMeeting(page, inTwoWeeks, '09:00', '12:00');
  await expect(page.getByRole('table', { name: 'Bijeenkomsten, in volgorde' }).locator('tbody tr')).toHaveCount(3);

  await page.getByRole('searchbox', { name: 'Zoek een docent op naam of e-mailadres' }).fill(TEACHER.name);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.getByRole('button', { name: `${TEACHER.name} toewijzen` }).click();
  await expect(page.getByRole('table', { name: 'Docenten van deze uitvoering' })).toContainText(TEACHER.name);

  // The participants, then their enrolments, as a Belgian spreadsheet saves them.
  const users = ['\uFEFFE-mailadres;Naam;Rollen', ...PARTICIPANTS.map((p) => `${p.email};"${p.name}";deelnemer`)].join('\r\n');
  await importCsv(page, 'Gebruikers', 'deelnemers.csv', users, '3 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 geweigerd.');
  const enrolments = ['E-mailadres;Uitvoering', ...PARTICIPANTS.map((p) => `${p.email};EHBO-WV-GENT-1`)].join('\r\n');
  await importCsv(page, 'Inschrijvingen', 'inschrijvingen.csv', enrolments, '3 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 geweigerd.');
  await logout(page);

  // The teacher finds the run and registers who came to the first meeting.
  await login(page, TEACHER.email, TEACHER.password);
  await page.getByRole('link', { name: /Mijn te geven opleidingen/ }).click();
  const current = page.locator('table.data').first();
  await expect(current).toContainText('Eerste hulp op de werkvloer');
  await expect(current).toContainText('Gent');
  await current.locator('tbody tr').first().locator('details.menu summary').click();
  await page.getByRole('link', { name: 'Deelnemers tonen' }).filter({ visible: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Deelnemers:/ })).toBeVisible();
  await expect(page.locator('#participants tbody tr')).toHaveCount(3);

  await page.getByRole('checkbox', { name: `Aanwezig: ${PARTICIPANTS[0]!.name}` }).check();
  await page.getByRole('checkbox', { name: `Aanwezig: ${PARTICIPANTS[2]!.name}` }).check();
  await page.locator('fieldset.meetings input[name="meeting"]').first().check();
  await page.getByRole('button', { name: 'Doorgaan' }).click();
  await expect(page.locator('#banner')).toContainText('Opgeslagen');

  // Read back what was saved, participant by participant: present, absent, present at the first meeting.
  const firstMeeting = async (name: string) => {
    const row = page.locator('#participants tbody tr', { has: page.locator('th', { hasText: name }) });
    const text = (await row.locator('.attendance-cells .visually-hidden').textContent()) ?? '';
    return text.split(', ')[0]!.replace(/^\d+: /, '');
  };
  expect(await firstMeeting(PARTICIPANTS[0]!.name)).toBe('aanwezig');
  expect(await firstMeeting(PARTICIPANTS[1]!.name)).toBe('afwezig');
  expect(await firstMeeting(PARTICIPANTS[2]!.name)).toBe('aanwezig');
});

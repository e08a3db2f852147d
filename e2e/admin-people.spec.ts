import type { Page } from '@playwright/test';
import { DEMO, expect, expectNoA11yViolations, login, logout, test } from './helpers.ts';

/**
 * The administrator's people pages: users from a CSV file, then their enrolment in a demo run from a
 * CSV file (preview, then import); the teacher of that run then sees them on the participants page.
 * axe-core on every administration page on the way.
 */

async function uploadCsv(page: Page, kind: 'Gebruikers' | 'Inschrijvingen', name: string, content: string) {
  await page.goto('/admin/imports');
  await expect(page.getByRole('heading', { level: 1, name: 'Importeren uit CSV' })).toBeVisible();
  await expectNoA11yViolations(page, 'CSV import');
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByLabel('CSV-bestand').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  await page.getByRole('button', { name: 'Voorbeeld tonen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Voorbeeld van ${name}` })).toBeVisible();
  await expectNoA11yViolations(page, `preview of ${name}`);
}

test.describe.configure({ timeout: 240_000 });

test('an administrator enrols participants in a demo run from a CSV file; the teacher then sees them', async ({ page }) => {
  const tag = Date.now().toString(36);
  const people = [`Lotte Janssens ${tag}`, `Karim El Amrani ${tag}`];

  // The teacher's first current run: its id from the participants page.
  await login(page, DEMO.teacher);
  await page.getByRole('link', { name: /Mijn te geven opleidingen/ }).click();
  const gear = page.locator('table.data').first().locator('tbody tr').first().locator('details.menu summary');
  await gear.click();
  await page.getByRole('link', { name: 'Deelnemers tonen' }).filter({ visible: true }).click();
  const runId = new URL(page.url()).pathname.split('/').pop()!;
  await logout(page);

  await login(page, DEMO.admin);
  for (const path of ['/admin/users', '/admin/users/new', '/admin/history']) {
    await page.goto(path);
    await expectNoA11yViolations(page, path);
  }
  await page.goto(`/admin/runs/${runId}/enrolments`);
  await expectNoA11yViolations(page, 'a run’s enrolments');
  const code = /\(([^)]+)\)\s*$/.exec((await page.getByRole('heading', { level: 1 }).textContent()) ?? '')![1]!;

  // Users, as Excel in a Belgian locale saves them: BOM, semicolons, quotes, Windows line ends.
  const users = ['\uFEFFE-mailadres;Naam;Rollen', ...people.map((p, i) => `csv${i}-${tag}@presentia.test;"${p}";deelnemer`), 'geen-adres;Iemand;'].join('\r\n');
  await uploadCsv(page, 'Gebruikers', 'gebruikers.csv', users);
  await expect(page.getByText('2 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 geweigerd.')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'ongeldig e-mailadres' })).toBeVisible();
  await page.getByRole('button', { name: 'Alleen de geldige regels importeren' }).click();
  await expect(page.getByText('Geïmporteerd: 2 nieuw, 0 gewijzigd.')).toBeVisible();

  const enrolments = ['E-mailadres;Uitvoering', ...people.map((_, i) => `csv${i}-${tag}@presentia.test;${code}`)].join('\r\n');
  await uploadCsv(page, 'Inschrijvingen', 'inschrijvingen.csv', enrolments);
  await expect(page.getByText('2 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 geweigerd.')).toBeVisible();
  await page.getByRole('button', { name: 'Alles importeren' }).click();
  await expect(page.getByText(/Geïmporteerd: 2 nieuw, 0 gewijzigd/)).toBeVisible();

  await page.goto(`/admin/runs/${runId}/enrolments`);
  for (const p of people) await expect(page.getByText(p).first()).toBeVisible();
  await page.goto(`/admin/history?run=${encodeURIComponent(code)}&kind=enrolment`);
  await expect(page.getByRole('cell', { name: people[0] })).toBeVisible();
  await expectNoA11yViolations(page, 'the filtered history');
  await logout(page);

  await login(page, DEMO.teacher);
  await page.goto(`/teacher/runs/${runId}`);
  for (const p of people) await expect(page.getByText(p).first()).toBeVisible();
});

test('an administrator creates a user, who chooses a password through the one-time link', async ({ page, browser }) => {
  const tag = Date.now().toString(36);
  await login(page, DEMO.admin);
  await page.goto('/admin/users/new');
  await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  await expect(page.getByText('Geef een geldig e-mailadres.').first()).toBeVisible();
  await expectNoA11yViolations(page, 'a refused new user');
  await page.getByLabel('E-mailadres').fill(`nieuw-${tag}@presentia.test`);
  await page.getByLabel('Naam').fill(`Nieuwe Docent ${tag}`);
  await page.getByLabel('Docent').check();
  await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  const link = await page.locator('#password-link-url').inputValue();
  await expectNoA11yViolations(page, 'a user with the one-time link');

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(link);
  await expectNoA11yViolations(visitor, 'choose a password');
  await visitor.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-goed-wachtwoord');
  await visitor.getByLabel('Herhaal het nieuwe wachtwoord').fill('een-goed-wachtwoord');
  await visitor.getByRole('button', { name: 'Wachtwoord bewaren' }).click();
  await expect(visitor.getByText('Je wachtwoord is bewaard.')).toBeVisible();
  await login(visitor, `nieuw-${tag}@presentia.test`, 'een-goed-wachtwoord');
});

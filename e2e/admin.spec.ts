import type { Page } from '@playwright/test';
import { DEMO, expect, expectNoA11yViolations, login, logout, test } from './helpers.ts';

/**
 * Head office sets up its own training: an administrator creates a course, a run with three meetings
 * and assigns a teacher; the teacher then signs in and finds the run under Mijn te geven opleidingen.
 * axe-core checks every administrators' page on the way.
 */

const SECOND_TEACHER = { email: 'docent2@presentia.test', name: 'Koen Verhaegen' };

/** A Brussels calendar date `days` from today (`YYYY-MM-DD`). */
function dateFromToday(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date(Date.now() + days * 86_400_000));
}

async function addMeeting(page: Page, date: string, start: string, end: string, points: string): Promise<void> {
  const form = page.locator('form[action$="/meetings"]');
  await form.getByLabel('Datum').fill(date);
  await form.getByLabel('Beginuur').fill(start);
  await form.getByLabel('Einduur').fill(end);
  await form.getByLabel('Studiepunten').fill(points);
  await form.getByRole('button', { name: 'Bijeenkomst toevoegen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'De bijeenkomst is toegevoegd.' })).toBeVisible();
}

test.describe('head office sets up a course, a run, its meetings and teacher', () => {
  test('an administrator creates a course with a run and three meetings and assigns a teacher, who then sees the run', async ({ page }) => {
    // A long journey with axe-core on every page: more than the default 30 s on a busy machine.
    test.setTimeout(240_000);
    const suffix = Date.now().toString(36).toUpperCase();
    const title = `Veilig werken op hoogte ${suffix}`;
    const runCode = `VWH-${suffix}`;
    const [day1, day2, day3] = [dateFromToday(7), dateFromToday(14), dateFromToday(21)];

    await login(page, DEMO.admin);
    await page.getByRole('link', { name: /Beheer/ }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Beheer' })).toBeVisible();
    await expectNoA11yViolations(page, 'the run overview');

    await page.getByRole('navigation', { name: 'Beheermenu' }).getByRole('link', { name: 'Opleidingen' }).click();
    await expectNoA11yViolations(page, 'the course list');
    await page.getByRole('link', { name: 'Nieuwe opleiding' }).click();
    await expectNoA11yViolations(page, 'the new course form');

    // A refused form first: the values stay and the reason stands beside the field.
    await page.getByLabel('Titel').fill(title);
    await page.getByLabel('Code', { exact: true }).fill('met spatie');
    await page.getByLabel('Maximum aantal studiepunten').fill('3');
    await page.getByRole('button', { name: 'Opleiding aanmaken' }).click();
    await expect(page.locator('#field-code-error')).toHaveText(/Gebruik alleen letters/);
    await expect(page.getByLabel('Titel')).toHaveValue(title);
    await expectNoA11yViolations(page, 'the refused course form');
    await page.getByLabel('Code', { exact: true }).fill(`VWH${suffix}`);
    await page.getByLabel('Soort').selectOption('classroom');
    await page.getByLabel('Omschrijving').fill('Ladders, stellingen en valbeveiliging.');
    await page.getByRole('button', { name: 'Opleiding aanmaken' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'De opleiding is aangemaakt.' })).toBeVisible();
    await expectNoA11yViolations(page, 'the course page');

    await page.getByRole('link', { name: 'Nieuwe uitvoering' }).click();
    await expectNoA11yViolations(page, 'the new run form');
    await page.getByLabel('Code van de uitvoering').fill(runCode);
    await page.getByLabel('Plaats').fill('Mechelen');
    await page.getByLabel('Maximum aantal deelnemers').fill('16');
    await page.getByLabel('Begindatum').fill(day1);
    await page.getByLabel('Einddatum').fill(day3);
    await page.getByRole('button', { name: 'Uitvoering aanmaken' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'De uitvoering is aangemaakt.' })).toBeVisible();
    await expectNoA11yViolations(page, 'the run page');

    await addMeeting(page, day1, '09:00', '12:00', '1');
    await addMeeting(page, day2, '09:00', '12:00', '1');
    await addMeeting(page, day3, '13:00', '16:30', '1,5');
    const meetings = page.getByRole('table', { name: 'Bijeenkomsten, in volgorde' });
    await expect(meetings.locator('tbody tr')).toHaveCount(3);
    await expect(meetings).toContainText('13:00 – 16:30');
    await expect(page.locator('#points-warning')).toBeVisible();
    await expectNoA11yViolations(page, 'the run page with meetings and the points warning');

    await meetings.getByRole('link', { name: /wijzigen$/ }).first().click();
    await expectNoA11yViolations(page, 'the meeting form');
    await page.getByRole('link', { name: new RegExp(runCode) }).click();
    await meetings.getByRole('link', { name: /verwijderen$/ }).last().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bijeenkomst verwijderen?' })).toBeVisible();
    await expectNoA11yViolations(page, 'the delete confirmation');
    await page.getByRole('link', { name: 'Annuleren' }).click();
    await expect(meetings.locator('tbody tr')).toHaveCount(3);

    await page.getByRole('searchbox', { name: 'Zoek een docent op naam of e-mailadres' }).fill(SECOND_TEACHER.email);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expectNoA11yViolations(page, 'the teacher search');
    await page.getByRole('button', { name: `${SECOND_TEACHER.name} toewijzen` }).click();
    await expect(page.getByRole('status').filter({ hasText: `${SECOND_TEACHER.name} is nu docent van deze uitvoering.` })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Docenten van deze uitvoering' })).toContainText(SECOND_TEACHER.name);

    // The overview finds the run by its teacher and state, and opens the same participants page.
    await page.goto(`/admin?teacher=${encodeURIComponent(SECOND_TEACHER.email)}&state=planned`);
    await expect(page.getByRole('table', { name: 'Uitvoeringen' })).toContainText(runCode);
    await expectNoA11yViolations(page, 'the filtered run overview');
    await page.getByRole('link', { name: `Deelnemers: ${runCode}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Deelnemers:/ })).toBeVisible();

    await page.goto('/admin/programmes');
    await expectNoA11yViolations(page, 'the programme list');
    await page.getByRole('link', { name: 'Nieuw programma' }).click();
    await expectNoA11yViolations(page, 'the new programme form');
    await page.getByLabel('Titel').fill(`Traject ${suffix}`);
    await page.getByLabel('Opleidingen (codes, één per regel, in volgorde)').fill(`VWH${suffix}`);
    await page.getByRole('button', { name: 'Programma aanmaken' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Het programma is aangemaakt.' })).toBeVisible();
    await expectNoA11yViolations(page, 'the programme page');
    await logout(page);

    await login(page, SECOND_TEACHER.email);
    await page.getByRole('link', { name: /Mijn te geven opleidingen/ }).click();
    const current = page.locator('table.data').first();
    await expect(current).toContainText(title);
    await expect(current).toContainText('Mechelen');
  });
});

import type { Browser, Page } from '@playwright/test';
import { DEMO, expect, expectNoA11yViolations, login, logout, test } from './helpers.ts';

/**
 * The save's rules by mouse, on the demo teacher's run in Gent (three meetings held, the last one
 * next week): Voltooid before the last meeting and presence at a meeting to come (R2), correcting
 * a withdrawal (R1), and two sessions changing the same participant at once (R11).
 */

async function participantName(page: Page): Promise<string> {
  await login(page, DEMO.participant);
  const name = (await page.locator('.whoami strong').textContent())?.trim() ?? '';
  await logout(page);
  return name;
}

/** Home → Mijn te geven opleidingen → gear of the first current run → Deelnemers tonen. */
async function openGent(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: /Mijn te geven opleidingen/ }).click();
  const gear = page.locator('table.data').first().locator('tbody tr').first().locator('details.menu summary');
  await gear.click();
  await page.getByRole('link', { name: 'Deelnemers tonen' }).filter({ visible: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Deelnemers:/ })).toBeVisible();
}

/** The names of the active participants, in page order, leaving out `except`. */
async function activeNames(page: Page, except: string, count: number): Promise<string[]> {
  const names = (await page.locator('#participants tbody th[data-name]').allTextContents()).map((n) => n.trim()).filter((n) => n !== except);
  if (names.length < count) throw new Error(`the run has ${names.length} other participants, ${count} needed`);
  return names.slice(0, count);
}

async function signedInPage(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'nl-BE', timezoneId: 'Europe/Brussels', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await login(page, email);
  return page;
}

test.describe('the save\'s rules, by mouse', () => {
  // Each journey signs in more than once (argon2 on purpose takes its time).
  test.slow();

  test('R2: presence at a meeting to come is refused; Voltooid with all meetings asks first and records only held meetings', async ({ page }) => {
    const me = await participantName(page);
    await login(page, DEMO.teacher);
    await openGent(page);
    const [someone = ''] = await activeNames(page, me, 1);

    // The last meeting (next week) with Aanwezig ticked: refused, naming the meeting.
    await page.getByRole('checkbox', { name: `Aanwezig: ${someone}` }).check();
    await page.locator('fieldset.meetings input[name="meeting"]').last().check();
    await page.getByRole('button', { name: 'Doorgaan' }).click();
    await expect(page.getByRole('alert')).toContainText(/De bijeenkomst van .* is nog niet begonnen/);
    await expect(page.getByRole('checkbox', { name: `Aanwezig: ${someone}` })).toBeChecked();

    // "Alle bijeenkomsten" with Voltooid: the confirmation is asked, then held meetings only are recorded.
    await page.locator('fieldset.meetings input[name="meeting"]').last().uncheck();
    await page.getByRole('checkbox', { name: 'Verwerk de aanwezigheid van de uitvoering in alle bijeenkomsten' }).check();
    await page.getByRole('combobox', { name: `Studiestatus aanpassen: ${someone}` }).selectOption({ label: 'Voltooid' });
    await page.getByRole('button', { name: 'Doorgaan' }).click();
    await expect(page.getByRole('group', { name: 'Voltooid vóór de laatste bijeenkomst' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Voltooid vóór de laatste bijeenkomst' })).toContainText(someone);
    await expectNoA11yViolations(page, 'the confirmation screen');
    for (const box of await page.locator('form.confirm input[type="checkbox"]').all()) await box.check();
    await page.getByRole('button', { name: 'Bevestigen en opslaan' }).click();
    await expect(page.locator('#banner')).toContainText('1 certificaat uitgereikt.');

    const row = page.locator('#participants tbody tr', { hasText: someone });
    await expect(row).toContainText('Voltooid');
    await expect(row.locator('.attendance-cells .visually-hidden')).toHaveText('1: aanwezig, 2: aanwezig, 3: aanwezig, 4: niet geregistreerd');
  });

  test('R1: the teacher corrects a withdrawal they set, after confirming', async ({ page }) => {
    await login(page, DEMO.teacher);
    await openGent(page);
    const inactive = page
      .locator('section[aria-labelledby="inactive-title"] tbody tr', { has: page.locator('.badge', { hasText: 'Uitgeschreven zonder geldige reden' }) })
      .first();
    const name = (await inactive.locator('th').textContent())!.trim();
    await inactive.getByText('Corrigeren').click();
    await inactive.getByRole('combobox', { name: `Gecorrigeerde studiestatus: ${name}` }).selectOption({ label: 'Terug naar Ingeschreven' });
    await page.getByRole('button', { name: 'Doorgaan' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Bevestigen' })).toBeVisible();
    await expect(page.locator('form.confirm')).toContainText(`${name}: Uitgeschreven zonder geldige reden → Ingeschreven`);
    await page.getByRole('checkbox', { name: 'Ja, overschrijf deze gegevens' }).check();
    await page.getByRole('button', { name: 'Bevestigen en opslaan' }).click();
    await expect(page.locator('#banner')).toContainText('1 studiestatus gewijzigd.');
    await expect(page.locator('#participants tbody tr', { hasText: name })).toContainText('Ingeschreven');
    await expect(page.locator('section[aria-labelledby="inactive-title"]')).not.toContainText(name);
  });

  test('R11: two sessions change the same participant; the second sees both values and chooses', async ({ page, browser }, testInfo) => {
    const me = await participantName(page);
    const baseURL = String(testInfo.project.use.baseURL);
    const teacher = await signedInPage(browser, baseURL, DEMO.teacher);
    const admin = await signedInPage(browser, baseURL, DEMO.admin);
    await openGent(teacher);
    await admin.goto(teacher.url());
    const [, first = '', second = ''] = await activeNames(teacher, me, 3);

    // The administrator rates the first participant and saves first.
    await admin.getByRole('combobox', { name: `Inzet: ${first}` }).selectOption({ label: 'Voldoende' });
    await admin.getByRole('textbox', { name: `Opmerking bij inzet: ${first}` }).fill('Van de beheerder');
    await admin.getByRole('button', { name: 'Doorgaan' }).click();
    await expect(admin.locator('#banner')).toContainText('Opgeslagen');

    // The teacher, on the page loaded before, rates the same participant and another one.
    await teacher.getByRole('combobox', { name: `Inzet: ${first}` }).selectOption({ label: 'Goed' });
    await teacher.getByRole('textbox', { name: `Opmerking bij inzet: ${first}` }).fill('Van de docent');
    await teacher.getByRole('combobox', { name: `Inzet: ${second}` }).selectOption({ label: 'Uitstekend' });
    await teacher.getByRole('button', { name: 'Doorgaan' }).click();

    await expect(teacher.getByRole('heading', { level: 1, name: 'Intussen gewijzigd' })).toBeVisible();
    const conflict = teacher.locator('#conflicts tbody tr');
    await expect(conflict).toHaveCount(1);
    await expect(conflict).toContainText(first);
    await expect(conflict).toContainText('Voldoende – “Van de beheerder”');
    await expect(conflict).toContainText('Goed – “Van de docent”');
    await expectNoA11yViolations(teacher, 'the conflict screen');
    await conflict.getByRole('radio', { name: `De mijne opslaan: ${first}, Inzet` }).check();
    await teacher.getByRole('button', { name: 'Opslaan met deze keuzes' }).click();

    await expect(teacher.locator('#banner')).toContainText('Inzet van 2 deelnemers bijgewerkt.');
    await expect(teacher.getByRole('combobox', { name: `Inzet: ${first}` })).toHaveValue('good');
    await expect(teacher.getByRole('textbox', { name: `Opmerking bij inzet: ${first}` })).toHaveValue('Van de docent');
    await expect(teacher.getByRole('combobox', { name: `Inzet: ${second}` })).toHaveValue('excellent');
    await teacher.context().close();
    await admin.context().close();
  });
});

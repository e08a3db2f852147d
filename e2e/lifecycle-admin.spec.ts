import { expect, expectNoA11yViolations, login, logout, switchLanguage, test, DEMO } from './helpers.ts';

/**
 * The administrator cancels a run (the VCA exam in Mechelen, taught by the second demo teacher, so
 * the other journeys' runs stay as seeded) and its teacher then sees it cancelled, with the reason;
 * axe-core on every lifecycle page on the way, refusals included.
 */
const SECOND_TEACHER = 'docent2@presentia.test';
const PLACE = 'Mechelen, Examencentrum Nekkerspoel';
const REASON = 'Zaal onbeschikbaar door renovatie';

test('an administrator cancels a run with a reason; its teacher sees it cancelled', async ({ page }) => {
  // Fourteen axe-core runs on a shared two-core machine: more than the default half minute.
  test.setTimeout(300_000);
  await login(page, DEMO.admin);
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Annuleren, versies en vrijstellingen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Annuleren, versies en vrijstellingen');
  await expectNoA11yViolations(page, 'the lifecycle overview');

  await page.getByRole('link', { name: 'Examen VCA Basisveiligheid' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Examen VCA Basisveiligheid (versie 1)');
  await expectNoA11yViolations(page, 'the course page');
  const coursePage = page.url();

  // The other confirmation pages, only looked at: nothing is submitted there.
  for (const [link, heading] of [
    ['Nieuwe versie publiceren', 'Versie 2 van Examen VCA Basisveiligheid publiceren'],
    ['Deze versie archiveren', 'Versie 1 van Examen VCA Basisveiligheid archiveren'],
    ['Vrijstellingslijst importeren', 'Vrijstellingslijst importeren: Examen VCA Basisveiligheid (versie 1)'],
    ['Opleiding annuleren', 'Opleiding Examen VCA Basisveiligheid annuleren'],
  ] as const) {
    await page.getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expectNoA11yViolations(page, `the page "${heading}"`);
    await page.goto(coursePage);
  }
  await page.getByRole('link', { name: /^Vrijstellen/ }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('vrijstellen');
  await expectNoA11yViolations(page, 'the exemption page');
  await page.goto(coursePage);

  await page.getByRole('row', { name: new RegExp(PLACE) }).getByRole('link', { name: 'Uitvoering annuleren' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('annuleren');
  await expectNoA11yViolations(page, 'the cancellation page');

  // Refused without a reason (the browser's own check is bypassed, as a script could): the reason beside the field.
  await page.locator('#reason').evaluate((el) => el.removeAttribute('required'));
  await page.getByRole('button', { name: 'Annuleren bevestigen' }).click();
  await expect(page.locator('#reason-error')).toHaveText('Vul een reden in.');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoA11yViolations(page, 'the refused cancellation');

  await page.locator('#reason').fill(REASON);
  await page.getByRole('button', { name: 'Annuleren bevestigen' }).click();
  await expect(page.getByRole('status')).toContainText('De uitvoering is geannuleerd.');
  await expect(page.getByRole('row', { name: new RegExp(PLACE) })).toContainText(`Geannuleerd: ${REASON}`);
  await expectNoA11yViolations(page, 'the course page after the cancellation');

  await switchLanguage(page, 'en');
  await expect(page.getByRole('row', { name: new RegExp(PLACE) })).toContainText(`Cancelled: ${REASON}`);
  await expectNoA11yViolations(page, 'the course page in English');
  await switchLanguage(page, 'nl');
  await logout(page);

  await login(page, SECOND_TEACHER);
  await page.goto('/teacher/runs');
  const row = page.getByRole('row', { name: /Examen VCA/ }).filter({ hasText: 'Geannuleerd' });
  await expect(row).toContainText(`Geannuleerd: ${REASON}`);
  await expectNoA11yViolations(page, 'the teacher’s runs with a cancelled run');
  await row.locator('summary').click();
  await row.getByRole('link', { name: 'Deelnemers tonen' }).click();
  await expect(page.locator('#run-cancelled')).toHaveText(`Geannuleerd: ${REASON}`);
  await expectNoA11yViolations(page, 'the participants page of a cancelled run');
});

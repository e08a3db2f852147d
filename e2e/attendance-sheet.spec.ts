import { execFileSync } from 'node:child_process';
import { DEMO, expect, expectNoA11yViolations, login, test } from './helpers.ts';

/** The text of a downloaded PDF, as poppler's pdftotext reads it. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

test('the teacher downloads the attendance sheet of a run from the gear menu, and of one meeting', async ({ page }) => {
  await login(page, DEMO.teacher);
  await page.getByRole('link', { name: /Mijn te geven opleidingen/ }).click();
  const row = page.locator('table.data').first().locator('tbody tr').first();
  const course = (await row.locator('th').textContent())?.split('(')[0]?.trim() ?? '';
  const gear = row.locator('details.menu summary');
  await expect(gear).toHaveAccessibleName('Acties');
  await gear.click();

  const [whole] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: 'Presentielijst (alle bijeenkomsten)' }).click(),
  ]);
  expect(whole.suggestedFilename()).toMatch(/^presentielijst-[\w.-]+\.pdf$/);
  const text = pdfText(await whole.path());
  expect(text).toContain('Presentielijst');
  expect(text).toContain(course);
  expect(text).toMatch(/Nr\.\s+Naam\s+Handtekening/);
  expect(text).toMatch(/Pagina 1 van \d+/);

  // The sheet of one meeting, from the page that lists them (the menu may still be open after the download).
  if ((await row.locator('details.menu').getAttribute('open')) === null) await gear.click();
  await row.getByRole('link', { name: 'Presentielijst per bijeenkomst' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Presentielijsten:/ })).toBeVisible();
  await expectNoA11yViolations(page, 'the attendance sheets page');
  const [one] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Presentielijst van \d.* downloaden \(pdf\)$/ }).first().click()]);
  expect(one.suggestedFilename()).toMatch(/^presentielijst-[\w.-]+-\d{4}-\d{2}-\d{2}\.pdf$/);
  const meeting = pdfText(await one.path());
  expect(meeting).toContain(course);
  expect(meeting).toContain('Pagina 1 van');
});

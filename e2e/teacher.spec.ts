import type { Locator, Page } from '@playwright/test';
import { DEMO, expect, expectNoA11yViolations, login, logout, test } from './helpers.ts';

/**
 * The teacher guide's six steps, by mouse and by keyboard, then the participant's view of the result.
 * The demo participant is enrolled in the demo teacher's runs.
 */

async function participantName(page: Page): Promise<string> {
  await login(page, DEMO.participant);
  const name = (await page.locator('.whoami strong').textContent())?.trim() ?? '';
  await logout(page);
  return name;
}

/** Presses Tab until `target` has focus: proves it is reachable by keyboard, in page order. */
async function tabTo(page: Page, target: Locator, maxPresses = 400): Promise<void> {
  for (let i = 0; i < maxPresses; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('element not reachable with Tab');
}

/** Steps 1: home → blue tile → gear of the n-th current run → Deelnemers tonen. */
async function openRunByMouse(page: Page, index: number): Promise<void> {
  await page.getByRole('link', { name: /Mijn te geven opleidingen/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mijn te geven opleidingen' })).toBeVisible();
  await expectNoA11yViolations(page, 'Mijn te geven opleidingen');
  const gear = page.locator('table.data').first().locator('tbody tr').nth(index).locator('details.menu summary');
  await expect(gear).toHaveAccessibleName('Acties');
  await gear.click();
  await page.getByRole('link', { name: 'Deelnemers tonen' }).filter({ visible: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Deelnemers:/ })).toBeVisible();
}

/** What the participants page says was recorded for every participant, meeting by meeting ("aanwezig", …). */
async function attendanceOfAll(page: Page): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const row of await page.locator('#participants tbody tr').all()) {
    const name = ((await row.locator('th[scope="row"]').textContent()) ?? '').trim();
    const text = (await row.locator('.attendance-cells .visually-hidden').textContent()) ?? '';
    out.set(name, text.split(', ').map((part) => part.replace(/^\d+: /, '')));
  }
  return out;
}

/**
 * The names R7 asks about when the first meeting is saved with only `name` ticked present: every
 * unticked participant recorded present there, and `name` if recorded absent or reported absent.
 */
function expectedOverwrites(before: Map<string, string[]>, name: string): string[] {
  return [...before]
    .filter(([who, cells]) => (who === name ? cells[0] === 'afwezig' || cells[0] === 'vooraf afgemeld' : cells[0] === 'aanwezig'))
    .map(([who]) => who)
    .sort();
}

/** The names listed under the overwrite confirmation. */
async function overwriteNames(page: Page): Promise<string[]> {
  const items = await page.getByRole('group', { name: 'Eerder geregistreerde gegevens overschrijven' }).locator('li').allTextContents();
  return items.map((item) => item.split(',')[0]!.trim()).sort();
}

/** What the participants page says was recorded for `name`, meeting by meeting ("1: aanwezig, 2: …"). */
async function attendanceSoFar(page: Page, name: string): Promise<string[]> {
  const text = await page.locator('#participants tbody tr', { has: page.locator('th', { hasText: name }) }).locator('.attendance-cells .visually-hidden').textContent();
  return (text ?? '').split(', ').map((part) => part.replace(/^\d+: /, ''));
}

test.describe('the teacher registers attendance, status and effort', () => {
  // Long journeys with accessibility scans on a shared, small machine.
  test.describe.configure({ timeout: 120_000 });
  test('by mouse: the guide\'s six steps, then the participant sees the result', async ({ page }) => {
    const name = await participantName(page);
    await login(page, DEMO.teacher);
    await openRunByMouse(page, 0);
    await expectNoA11yViolations(page, 'the participants page');

    // Step 2: attendance; step 3: status (Voltooid, with the LET OP notice); step 5: effort.
    await expect(page.getByText(/LET OP/)).toBeVisible();
    await page.getByRole('checkbox', { name: `Aanwezig: ${name}` }).check();
    await page.getByRole('combobox', { name: `Studiestatus aanpassen: ${name}` }).selectOption({ label: 'Voltooid' });
    await page.getByRole('combobox', { name: `Inzet: ${name}` }).selectOption({ label: 'Uitstekend' });
    await page.getByRole('textbox', { name: `Opmerking bij inzet: ${name}` }).fill('Stelde sterke vragen');
    await expect(page.getByText('zichtbaar voor de deelnemer')).toBeVisible();

    // Step 4: the first meeting (in the past); the maximum box stays open.
    await page.locator('fieldset.meetings input[name="meeting"]').first().check();
    await expect(page.getByRole('checkbox', { name: 'Maximum aantal studiepunten van deze cursus negeren?' })).not.toBeChecked();

    // Step 6: Doorgaan. Voltooid before the last meeting always asks for confirmation first (R2);
    // the first meeting's attendance is overwritten, and asked about, only if it was recorded otherwise (R7).
    const all = await attendanceOfAll(page);
    const before = all.get(name)!;
    const overwrites = expectedOverwrites(all, name);
    await page.getByRole('button', { name: 'Doorgaan' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bevestigen' })).toBeVisible();
    await expectNoA11yViolations(page, 'the confirmation screen');
    const early = page.getByRole('group', { name: 'Voltooid vóór de laatste bijeenkomst' });
    await expect(early).toBeVisible();
    await expect(early).toContainText(name);
    await expect(page.getByRole('group', { name: 'Eerder geregistreerde gegevens overschrijven' })).toHaveCount(overwrites.length > 0 ? 1 : 0);
    expect(await overwriteNames(page)).toEqual(overwrites);
    for (const box of await page.locator('form.confirm input[type="checkbox"]').all()) await box.check();
    await page.getByRole('button', { name: 'Bevestigen en opslaan' }).click();
    const banner = page.locator('#banner');
    await expect(banner).toContainText('Opgeslagen');
    await expect(banner).toContainText('1 certificaat uitgereikt.');
    await expect(page.getByRole('row', { name: new RegExp(name) }).first()).toContainText('Voltooid');
    // Read back what was saved: present at the first meeting, the rest as it was.
    expect(await attendanceSoFar(page, name)).toEqual(['aanwezig', ...before.slice(1)]);
    // The banner is shown once (it comes from the session): reloading shows no banner.
    await page.reload();
    await expect(page.locator('#banner')).toHaveCount(0);
    await logout(page);

    // The participant sees the new status, the effort with its comment, and points.
    await login(page, DEMO.participant);
    await page.getByRole('link', { name: /Mijn opleidingen/ }).click();
    await expectNoA11yViolations(page, 'Mijn opleidingen');
    const completed = page.locator('tbody tr', { hasText: 'Voltooid' }).first();
    await expect(completed).toBeVisible();
    await completed.getByRole('link').first().click();
    await expect(page.getByRole('cell', { name: 'Uitstekend', exact: true })).toBeVisible();
    await expect(page.getByText('Stelde sterke vragen').first()).toBeVisible();
    await expect(page.getByText(/PRS-\d{4}-/).first()).toBeVisible();
    const attendance = page.getByRole('table', { name: 'Aanwezigheid per bijeenkomst' });
    await expect(attendance.locator('tbody tr').first()).toContainText('Aanwezig');
    await expect(attendance.locator('tbody tr').first()).not.toContainText('Afwezig');
    await expectNoA11yViolations(page, 'the enrolment page');
  });

  test('by keyboard only: open the run, register, save', async ({ page }) => {
    const name = await participantName(page);
    await login(page, DEMO.teacher);

    await tabTo(page, page.getByRole('link', { name: /Mijn te geven opleidingen/ }));
    await page.keyboard.press('Enter');
    const gear = page.locator('table.data').first().locator('tbody tr').nth(1).locator('details.menu summary');
    await tabTo(page, gear);
    await page.keyboard.press('Enter');
    const item = page.locator('table.data').first().locator('tbody tr').nth(1).getByRole('link', { name: 'Deelnemers tonen' });
    await tabTo(page, item);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: /^Deelnemers:/ })).toBeVisible();

    const all = await attendanceOfAll(page);
    const before = all.get(name)!;
    const overwrites = expectedOverwrites(all, name);
    await tabTo(page, page.getByRole('checkbox', { name: `Aanwezig: ${name}` }));
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('combobox', { name: `Inzet: ${name}` }));
    await page.keyboard.press('ArrowDown'); // Uitstekend
    await page.keyboard.press('ArrowDown'); // Goed
    await tabTo(page, page.locator('fieldset.meetings input[name="meeting"]').first());
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('button', { name: 'Doorgaan' }));
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    // No Voltooid: the save asks only when it would overwrite recorded attendance (R7).
    if (overwrites.length > 0) {
      await expect(page.getByRole('heading', { level: 1, name: 'Bevestigen' })).toBeVisible();
      expect(await overwriteNames(page)).toEqual(overwrites);
      for (const box of await page.locator('form.confirm input[type="checkbox"]').all()) {
        await tabTo(page, box);
        await page.keyboard.press('Space');
      }
      await tabTo(page, page.getByRole('button', { name: 'Bevestigen en opslaan' }));
      await page.keyboard.press('Enter');
    } else {
      await expect(page.getByRole('heading', { level: 1, name: 'Bevestigen' })).toHaveCount(0);
    }
    await expect(page.locator('#banner')).toContainText('Opgeslagen');
    await expect(page.getByRole('combobox', { name: `Inzet: ${name}` })).toHaveValue('good');
    expect(await attendanceSoFar(page, name)).toEqual(['aanwezig', ...before.slice(1)]);
  });

  test('a refused save comes back with every value kept', async ({ page }) => {
    const name = await participantName(page);
    await login(page, DEMO.teacher);
    await openRunByMouse(page, 0);
    await page.getByRole('checkbox', { name: `Aanwezig: ${name}` }).check();
    await page.getByRole('textbox', { name: `Opmerking bij inzet: ${name}` }).fill('Bewaard na weigering');
    await page.getByRole('button', { name: 'Doorgaan' }).click();
    await expect(page.getByRole('alert')).toContainText('Kies onderaan minstens één bijeenkomst');
    await expect(page.getByRole('checkbox', { name: `Aanwezig: ${name}` })).toBeChecked();
    await expect(page.getByRole('textbox', { name: `Opmerking bij inzet: ${name}` })).toHaveValue('Bewaard na weigering');
    await expectNoA11yViolations(page, 'the refused participants page');
  });
});

import type { Page } from '@playwright/test';
import { DEMO, expect, login, test } from './helpers.ts';

/**
 * Defect: at 1280 px the Inzet column and its comment were cut off and the participants table
 * scrolled sideways. On a laptop (1280 px) and on a classroom tablet (768 px) every input of a row
 * must be visible without scrolling sideways, with the participant's name beside them.
 */

const WIDTHS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;

async function openParticipants(page: Page): Promise<void> {
  await login(page, DEMO.teacher);
  await page.getByRole('link', { name: /Mijn te geven opleidingen/ }).click();
  const gear = page.locator('table.data').first().locator('tbody tr').first().locator('details.menu summary');
  await gear.click();
  await page.getByRole('link', { name: 'Deelnemers tonen' }).filter({ visible: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Deelnemers:/ })).toBeVisible();
}

for (const size of WIDTHS) {
  test(`the participants table fits a ${size.width} px ${size.name} screen, every input of a row in view`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await openParticipants(page);
    const table = page.locator('table#participants');
    const scroller = page.locator('.table-scroll').filter({ has: table });

    // Nothing scrolls sideways: not the table's box, not the page.
    const overflow = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(overflow.scroll, `table ${overflow.scroll} px in a box of ${overflow.client} px`).toBeLessThanOrEqual(overflow.client);
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(pageOverflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);

    // Every row: its name and each of its inputs lie inside the viewport, side by side with the name.
    const rows = table.locator('tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < Math.min(count, 5); i += 1) {
      const row = rows.nth(i);
      await row.scrollIntoViewIfNeeded();
      const name = row.locator('th[scope="row"]');
      const id = (await row.getAttribute('id'))!.slice('row-'.length);
      const targets = {
        name,
        present: row.locator(`input[name="present.${id}"]`),
        status: row.locator(`select[name="status.${id}"]`),
        effort: row.locator(`select[name="effort.${id}"]`),
        comment: row.locator(`input[name="comment.${id}"]`),
      };
      for (const [what, target] of Object.entries(targets)) {
        const box = await target.boundingBox();
        expect(box, `${what} of row ${i} is laid out`).not.toBeNull();
        expect(box!.x, `${what} of row ${i} starts inside the window`).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, `${what} of row ${i} ends inside the ${size.width} px window`).toBeLessThanOrEqual(size.width);
        expect(box!.width, `${what} of row ${i} has room`).toBeGreaterThan(what === 'present' ? 10 : 60);
      }
    }
    await page.locator('table#participants').screenshot({ path: testInfo.outputPath(`participants-${size.width}.png`) });
    await page.screenshot({ path: testInfo.outputPath(`participants-page-${size.width}.png`), fullPage: false });
  });
}

import { DEMO, expect, expectNoA11yViolations, login, submitLogin, test } from './helpers.ts';

const ROLES = [
  ['administrator', DEMO.admin],
  ['teacher', DEMO.teacher],
  ['participant', DEMO.participant],
] as const;

test.describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  test('login page', async ({ page }) => {
    await page.goto('/login');
    await expectNoA11yViolations(page, 'the login page');
  });

  test('login page with a refused login', async ({ page }) => {
    await page.goto('/login');
    await submitLogin(page, DEMO.participant, 'wrong');
    await expect(page.getByRole('alert')).toBeVisible();
    await expectNoA11yViolations(page, 'the refused login page');
  });

  for (const [role, email] of ROLES) {
    test(`home page of the ${role}`, async ({ page }) => {
      await login(page, email);
      await expectNoA11yViolations(page, `the ${role}'s home page`);
    });
  }
});

test.describe('keyboard: the gear menu on "Mijn te geven opleidingen"', () => {
  test('opens with Enter, closes with Escape back on the gear, and has no axe findings', async ({ page }) => {
    await login(page, DEMO.teacher);
    await page.goto('/teacher/runs');
    const menu = page.locator('details.menu').first();
    const gear = menu.locator('summary');
    await expect(gear, 'the demo teacher teaches at least one run').toBeVisible();
    await expect(gear).toHaveAccessibleName('Acties');
    await gear.focus();
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('open', '');
    await expectNoA11yViolations(page, 'the runs page with a gear menu open');
    await page.keyboard.press('Tab');
    await expect(menu.getByRole('link', { name: 'Deelnemers tonen' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).not.toHaveAttribute('open', '');
    await expect(gear).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/teacher\/runs\/[^/]+$/);
    await expectNoA11yViolations(page, 'the participants page');
  });
});

test.describe('tablet, 768 px wide', () => {
  test.use({ viewport: { width: 768, height: 1024 }, hasTouch: true });

  /** Nothing may stick out sideways: a tablet page scrolls down, not across. */
  async function expectNoSidewaysScroll(page: import('@playwright/test').Page) {
    const [scrollWidth, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scrollWidth, 'page width').toBeLessThanOrEqual(width);
  }

  test('login page', async ({ page }) => {
    await page.goto('/login');
    await expectNoSidewaysScroll(page);
    await expectNoA11yViolations(page, 'the login page at 768 px');
  });

  for (const [role, email] of ROLES) {
    test(`home page of the ${role}`, async ({ page }) => {
      await login(page, email);
      await expectNoSidewaysScroll(page);
      await expectNoA11yViolations(page, `the ${role}'s home page at 768 px`);
    });
  }
});

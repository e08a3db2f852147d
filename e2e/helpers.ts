import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

/**
 * Shared pieces for every browser spec. Import `test` and `expect` from here, not from
 * '@playwright/test': this `test` skips, loudly, when the machine has no Chromium (outside CI).
 */
export const test = base.extend<{ browserAvailable: void }>({
  browserAvailable: [
    // Auto fixture: set up before `page`, so a missing browser is never launched.
    async ({}, use, testInfo) => {
      const path = testInfo.project.use.launchOptions?.executablePath;
      testInfo.skip(!!path && !existsSync(path), `BROWSER TESTS SKIPPED: no Chromium at ${path}`);
      await use();
    },
    { auto: true },
  ],
});

export { expect };

/** The demo accounts the server seeds with SEED_DEMO=true; all share one password. */
export const DEMO_PASSWORD = 'presentia';
export const DEMO = {
  admin: 'beheerder@presentia.test',
  teacher: 'docent@presentia.test',
  participant: 'deelnemer@presentia.test',
} as const;

/** The WCAG 2.1 A and AA rules: the level the product promises. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const emailField = (page: Page) => page.locator('form[action="/login"] input[name="email"]');
const passwordField = (page: Page) => page.locator('form[action="/login"] input[name="password"]');
const logoutButton = (page: Page) => page.locator('form[action="/logout"] button[type="submit"]');

/** Fills the login form (in either language) and presses its button; does not check the outcome. */
export async function submitLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) await page.goto('/login');
  await emailField(page).fill(email);
  await passwordField(page).fill(password);
  await page.locator('form[action="/login"] button[type="submit"]').click();
}

/** Signs in as `email` (a demo account by default password) and waits until signed in. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, email, password);
  await expect(logoutButton(page), `signed in as ${email}`).toBeVisible();
}

/** Signs out with the button in the top bar and waits for the login page. */
export async function logout(page: Page): Promise<void> {
  await logoutButton(page).click();
  await expect(page).toHaveURL(/\/login\?loggedOut=1$/);
}

/** Switches the interface language with the form in the top bar. */
export async function switchLanguage(page: Page, locale: 'nl' | 'en'): Promise<void> {
  await page.locator('#language-select').selectOption(locale);
  await page.locator('form[action="/language"] button[type="submit"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

/** Runs axe-core with the WCAG 2.1 AA rules and fails with a readable list of what it found. */
export async function expectNoA11yViolations(page: Page, context = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` + v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n'),
  );
  expect(found, `axe-core violations on ${context}`).toEqual([]);
}

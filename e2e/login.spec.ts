import { DEMO, expect, login, logout, submitLogin, switchLanguage, test } from './helpers.ts';

const tile = (page: import('@playwright/test').Page, title: RegExp) => page.locator('ul.tiles').getByRole('link', { name: title });
const TEACHER_TILE = /^Mijn te geven opleidingen/;
const PARTICIPANT_TILE = /^Mijn opleidingen/;
const ADMIN_TILE = /^Beheer/;

test.describe('signing in', () => {
  test('a teacher sees the blue tile "Mijn te geven opleidingen"', async ({ page }) => {
    await login(page, DEMO.teacher);
    await expect(page).toHaveURL('/');
    const teacherTile = tile(page, TEACHER_TILE);
    await expect(teacherTile).toBeVisible();
    await expect(teacherTile).toHaveAttribute('href', '/teacher/runs');
    // The guide sends teachers to "the blue tile": it must really be blue.
    const [r, g, b] = (await teacherTile.evaluate((el) => getComputedStyle(el).backgroundColor)).match(/\d+/g)!.map(Number);
    expect(b! > r! + 60 && b! > g! + 60, `tile colour rgb(${r}, ${g}, ${b}) is blue`).toBe(true);
    await expect(tile(page, ADMIN_TILE)).toHaveCount(0);
  });

  test('a participant sees "Mijn opleidingen" only', async ({ page }) => {
    await login(page, DEMO.participant);
    await expect(tile(page, PARTICIPANT_TILE)).toBeVisible();
    await expect(tile(page, TEACHER_TILE)).toHaveCount(0);
    await expect(tile(page, ADMIN_TILE)).toHaveCount(0);
  });

  test('an administrator sees "Beheer"', async ({ page }) => {
    await login(page, DEMO.admin);
    await expect(tile(page, ADMIN_TILE)).toBeVisible();
    await expect(tile(page, ADMIN_TILE)).toHaveAttribute('href', '/admin');
  });

  test('a wrong password is refused with the e-mail address kept', async ({ page }) => {
    await page.goto('/login');
    await submitLogin(page, DEMO.teacher, 'not-the-password');
    await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of het wachtwoord is niet juist.');
    await expect(page.getByLabel('E-mailadres')).toHaveValue(DEMO.teacher);
    await expect(page.getByLabel('Wachtwoord')).toHaveValue('');
    await expect(page.locator('form[action="/logout"]')).toHaveCount(0);
  });

  test('empty fields are named beside each field', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await expect(page.getByLabel('E-mailadres')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Vul je e-mailadres in.')).toBeVisible();
    await expect(page.getByText('Vul je wachtwoord in.')).toBeVisible();
  });

  test('signing out ends the session', async ({ page }) => {
    await login(page, DEMO.participant);
    await logout(page);
    await expect(page.getByRole('status')).toHaveText('Je bent afgemeld.');
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
  });

  test('after signing in, the page asked for first is shown', async ({ page }) => {
    await page.goto('/teacher/runs');
    await expect(page).toHaveURL(/\/login\?next=/);
    await submitLogin(page, DEMO.teacher);
    await expect(page).toHaveURL('/teacher/runs');
  });

  test('switching to English shows "My courses to teach"', async ({ page }) => {
    await login(page, DEMO.teacher);
    // The choice is stored on the account: put it back, whatever happens, for the specs after this one.
    try {
      await switchLanguage(page, 'en');
      await expect(page).toHaveURL('/');
      await expect(tile(page, /^My courses to teach/)).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    } finally {
      await switchLanguage(page, 'nl');
    }
    await expect(tile(page, TEACHER_TILE)).toBeVisible();
  });
});

test.describe('keyboard only', () => {
  test('the skip link appears on the first Tab and leads to the content', async ({ page }) => {
    await page.goto('/login');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Naar de inhoud' });
    await expect(skip).toBeFocused();
    const box = await skip.boundingBox();
    expect(box && box.y >= 0 && box.x >= 0, 'skip link is on screen when focused').toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();
  });

  test('Tab to the fields, type, and Enter signs in', async ({ page }) => {
    await page.goto('/login');
    const email = page.getByLabel('E-mailadres');
    for (let i = 0; i < 10 && !(await email.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(email).toBeFocused();
    await page.keyboard.type(DEMO.teacher);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Wachtwoord')).toBeFocused();
    await page.keyboard.type('presentia');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL('/');
    await expect(tile(page, TEACHER_TILE)).toBeVisible();
    // And the tile itself is reachable and opens with the keyboard.
    for (let i = 0; i < 15 && !(await tile(page, TEACHER_TILE).evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(tile(page, TEACHER_TILE)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL('/teacher/runs');
  });
});

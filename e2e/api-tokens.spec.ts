import { DEMO, expect, expectNoA11yViolations, login, test } from './helpers.ts';

/**
 * An administrator makes an API token under Beheer → API-tokens, sees it once, an integration uses
 * it (the browser's own session cookie is not enough), and revoking it stops it at once.
 */
test('an administrator makes, uses and revokes an API token', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, DEMO.admin);
  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Beheermenu' }).getByRole('link', { name: 'API-tokens' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API-tokens' })).toBeVisible();
  await expectNoA11yViolations(page, 'the API token page');

  // A refused form keeps what was entered and says why beside the field.
  await page.getByLabel('Naam').fill('HR-koppeling');
  await page.getByRole('checkbox', { name: /read:/ }).uncheck();
  await page.getByRole('button', { name: 'Token maken' }).click();
  await expect(page.getByRole('alert')).toContainText('Kies minstens één bereik.');
  await expect(page.getByLabel('Naam')).toHaveValue('HR-koppeling');
  await expectNoA11yViolations(page, 'the refused token form');

  await page.getByRole('checkbox', { name: /read:/ }).check();
  await page.getByRole('button', { name: 'Token maken' }).click();
  const shown = page.locator('#created-token-value');
  await expect(shown).toHaveValue(/^prs_/);
  const token = await shown.inputValue();
  await expectNoA11yViolations(page, 'the page showing a new token');

  // The signed-in browser's cookies alone do not open the API; the token does.
  expect((await page.request.get('/api/v1/statuses')).status()).toBe(401);
  const withToken = await page.request.get('/api/v1/statuses', { headers: { authorization: `Bearer ${token}` } });
  expect(withToken.status()).toBe(200);

  await page.goto('/admin/api-tokens');
  await expect(page.locator('#created-token-value')).toHaveCount(0);
  await page.getByRole('button', { name: 'Token HR-koppeling intrekken' }).first().click();
  await expect(page.getByRole('status')).toContainText('Token "HR-koppeling" ingetrokken');
  expect((await page.request.get('/api/v1/statuses', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
});

test('the API reference page has no axe findings', async ({ page }) => {
  await page.goto('/api/reference');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('API');
  await expectNoA11yViolations(page, 'the API reference');
});

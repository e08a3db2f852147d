import { DEMO, expect, expectNoA11yViolations, login, test } from './helpers.ts';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="#0a7"/></svg>';

test.describe('calendar subscription on Mijn account', () => {
  test('a participant makes a private calendar address, a calendar program reads it, and a new address ends the old one', async ({ page }) => {
    await login(page, DEMO.participant);
    await page.goto('/account');
    const section = page.getByRole('region', { name: 'Agenda-abonnement' });
    await section.getByRole('button', { name: /Agenda-adres aanmaken|Nieuw agenda-adres aanvragen/ }).click();
    const address = await section.getByLabel('Je agenda-adres').inputValue();
    expect(address).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await expectNoA11yViolations(page, 'the account page with a new calendar address');

    const feed = await page.request.get(address);
    expect(feed.status()).toBe(200);
    const text = await feed.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('BEGIN:VTIMEZONE');
    expect(text).toContain('DTSTART;TZID=Europe/Brussels:');

    await page.getByRole('region', { name: 'Agenda-abonnement' }).getByRole('button', { name: 'Nieuw agenda-adres aanvragen' }).click();
    const renewed = await page.getByLabel('Je agenda-adres').inputValue();
    expect(renewed).not.toBe(address);
    expect((await page.request.get(address)).status()).toBe(404);
    expect((await page.request.get(renewed)).status()).toBe(200);
  });
});

test.describe('organisation branding', () => {
  test('an administrator sets the name, signatory and an SVG logo from the admin menu', async ({ page }) => {
    await login(page, DEMO.admin);
    await page.goto('/admin');
    await page.getByRole('navigation', { name: /beheer/i }).getByRole('link', { name: 'Huisstijl van de organisatie' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Huisstijl van de organisatie' })).toBeVisible();
    await page.getByLabel('Naam van de organisatie').fill('Opleidingscentrum Vlaanderen');
    await page.getByLabel('Naam van de ondertekenaar').fill('An De Smet');
    await page.getByLabel('Functie van de ondertekenaar').fill('Directeur');
    await page.getByLabel(/Logo \(PNG of SVG\)/).setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(SVG) });
    await page.getByRole('button', { name: 'Huisstijl opslaan' }).click();
    await expect(page.getByRole('status')).toHaveText('De huisstijl is opgeslagen. Nieuwe documenten dragen hem.');
    await expect(page.getByRole('img', { name: 'Logo van Opleidingscentrum Vlaanderen' })).toBeVisible();
    await expectNoA11yViolations(page, 'the branding page after a save');

    // A logo with a script is refused beside its field, the names entered kept.
    await page.getByLabel('Naam van de organisatie').fill('Andere naam');
    await page.getByLabel(/Logo \(PNG of SVG\)/).setInputFiles({ name: 'evil.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
    await page.getByRole('button', { name: 'Huisstijl opslaan' }).click();
    await expect(page.getByText(/Deze SVG bevat scripts/).first()).toBeVisible();
    await expect(page.getByLabel('Naam van de organisatie')).toHaveValue('Andere naam');
    await expectNoA11yViolations(page, 'the refused branding page');

    // Back to the product's own look, so that other journeys find the documents as they expect.
    await page.getByLabel('Naam van de organisatie').fill('');
    await page.getByLabel('Naam van de ondertekenaar').fill('');
    await page.getByLabel('Functie van de ondertekenaar').fill('');
    await page.getByLabel('Logo verwijderen').check();
    await page.getByRole('button', { name: 'Huisstijl opslaan' }).click();
    await expect(page.getByText('Er is nog geen logo.')).toBeVisible();
  });
});

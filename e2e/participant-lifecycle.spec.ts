import type { Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { demoParticipants } from '../src/services/demo/people.ts';
import { DEMO, expect, expectNoA11yViolations, login, logout, test } from './helpers.ts';

/**
 * The participant's own actions, in the browser: opening the knowledge centre and an e-learning
 * module (the status becomes Gestart), choosing a run, withdrawing, and reporting an absence that
 * the teacher then sees. Each journey uses a demo participant of its own, so that the other specs
 * find the demo as they expect it.
 */
// Each journey signs in several people and runs axe-core on every page it passes: give it time on a busy machine.
test.describe.configure({ timeout: 180_000 });

const people = demoParticipants();
const ELEARNER = people[1]!; // Brandpreventie in Mechelen (docent2@), e-learning CHEM-130 not yet opened
const WITHDRAWER = people[2]!; // Brandpreventie in Mechelen too
const CHOOSER = people[25]!; // programme: Eerste hulp, Brandpreventie and the VCA exam wait for a run choice
const SECOND_TEACHER = 'docent2@presentia.test';

/** From Mijn opleidingen to one enrolment, by its course title. */
async function openEnrolment(page: Page, courseTitle: string): Promise<void> {
  await page.goto('/me/enrolments');
  await page.getByRole('link', { name: courseTitle }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(courseTitle) })).toBeVisible();
}

const statusCell = (page: Page) => page.locator('table.data').first().locator('tr').first().locator('td');

test.describe('the participant opens their course', () => {
  test('opening the knowledge centre moves a classroom enrolment to Gestart, once', async ({ page }) => {
    await login(page, ELEARNER.email);
    await openEnrolment(page, 'Brandpreventie');
    await expect(statusCell(page)).toContainText('Ingeschreven');
    await expectNoA11yViolations(page, 'the enrolment page with its actions');

    await page.getByRole('button', { name: 'Kenniscentrum openen' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Kenniscentrum: Brandpreventie' })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('Je opleiding is gestart.');
    await expect(page.getByRole('cell', { name: 'elektrische toestellen' })).toBeVisible();
    await expectNoA11yViolations(page, 'the knowledge centre');

    await page.getByRole('link', { name: 'Terug naar je inschrijving' }).click();
    await expect(statusCell(page)).toContainText('Gestart');
    await expect(page.locator('#history')).toContainText('Gestart');
  });

  test('an administrator places an e-learning module; opening it moves Niet gestart to Gestart, in a sandbox', async ({ page }) => {
    await login(page, DEMO.admin);
    await page.goto('/admin/course-content');
    await expectNoA11yViolations(page, 'the list of course content');
    await page.getByRole('link', { name: /Veilig werken met chemische stoffen/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Inhoud: Veilig werken met chemische stoffen/ })).toBeVisible();
    const module = zipSync({
      'les/index.html': strToU8(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Chemische stoffen</title><link rel="stylesheet" href="stijl.css"><script src="les.js"></script></head><body><h1>Les 1: gevarensymbolen</h1><p id="state">Niet geladen</p></body></html>',
      ),
      'les/stijl.css': strToU8('h1 { color: #7a1f00; }'),
      'les/les.js': strToU8(
        "document.addEventListener('DOMContentLoaded', () => { let cookies; try { cookies = document.cookie; } catch { cookies = 'geweigerd'; } document.getElementById('state').textContent = 'Script geladen, cookies: ' + cookies; });",
      ),
    });
    await page.getByLabel(/HTML-pakket/).setInputFiles({ name: 'chemie.zip', mimeType: 'application/zip', buffer: Buffer.from(module) });
    await page.getByRole('button', { name: 'Module plaatsen' }).click();
    await expect(page.getByRole('status')).toHaveText('De e-learningmodule is geplaatst (3 bestanden).');
    await expectNoA11yViolations(page, 'the course content page');
    await logout(page);

    await login(page, ELEARNER.email);
    await openEnrolment(page, 'Veilig werken met chemische stoffen');
    await expect(statusCell(page)).toContainText('Niet gestart');
    await page.getByRole('button', { name: 'E-learning openen' }).click();
    await expect(page).toHaveURL(/\/courses\/[^/]+\/elearning\/[0-9a-f]{32}\/les\/index\.html$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Les 1: gevarensymbolen' })).toBeVisible();
    // The module's own script runs, in an opaque origin: the session cookie is out of its reach.
    await expect(page.locator('#state')).toHaveText('Script geladen, cookies: geweigerd');

    await openEnrolment(page, 'Veilig werken met chemische stoffen');
    await expect(statusCell(page)).toContainText('Gestart');
  });
});

test.describe('run choice, withdrawal and absences', () => {
  test('a participant chooses a run for a programme course and is then Ingeschreven', async ({ page }) => {
    await login(page, CHOOSER.email);
    await openEnrolment(page, 'Eerste hulp op de werkvloer');
    await expect(statusCell(page)).toContainText('Uitvoeringskeuze vereist');
    await expect(page.getByRole('heading', { level: 2, name: 'Uitvoering kiezen' })).toBeVisible();
    await expectNoA11yViolations(page, 'the run choice');
    const option = page.getByRole('radio').first();
    await expect(option).toBeChecked();
    await page.getByRole('button', { name: 'Deze uitvoering kiezen' }).click();
    await expect(page.getByRole('status')).toHaveText('Je uitvoering is gekozen. Je bent nu ingeschreven.');
    await expect(statusCell(page)).toContainText('Ingeschreven');
    await expect(page.getByRole('heading', { level: 2, name: 'Uitvoering kiezen' })).toHaveCount(0);
  });

  test('a participant withdraws and another reports an absence; the teacher sees both', async ({ page }) => {
    await login(page, WITHDRAWER.email);
    await openEnrolment(page, 'Brandpreventie');
    await page.getByLabel('Reden (niet verplicht)').fill('Nieuwe functie binnen het bedrijf');
    await page.getByRole('button', { name: 'Mij uitschrijven' }).click();
    await expect(page.getByRole('status')).toHaveText('Je uitschrijving is geregistreerd. Je docent legt je studiestatus vast.');
    await expect(page.getByText(/^Je schreef je uit op /)).toBeVisible();
    await expectNoA11yViolations(page, 'the enrolment page after withdrawing');
    await logout(page);

    await login(page, ELEARNER.email);
    await openEnrolment(page, 'Brandpreventie');
    // A report without a reason comes back with the reason asked for beside the field.
    const reason = page.locator('form.absence-form input[name="reason"]').first();
    await reason.evaluate((input) => input.removeAttribute('required'));
    await page.locator('form.absence-form').first().getByRole('button', { name: /^Afwezigheid melden/ }).click();
    await expect(page.getByRole('alert')).toContainText('Geef een reden op.');
    await expectNoA11yViolations(page, 'a refused absence report');
    await page.locator('form.absence-form input[name="reason"]').first().fill('Afspraak bij de tandarts');
    await page.locator('form.absence-form').first().getByRole('button', { name: /^Afwezigheid melden/ }).click();
    await expect(page.getByRole('status')).toHaveText('Je afwezigheid is gemeld.');
    await expect(page.getByText('Gemeld: Afspraak bij de tandarts')).toBeVisible();
    await expect(page.getByRole('button', { name: /^Melding intrekken/ })).toBeVisible();
    await expectNoA11yViolations(page, 'the enrolment page with a reported absence');
    await logout(page);

    await login(page, SECOND_TEACHER);
    await page.goto('/teacher/runs');
    const row = page.locator('tr', { hasText: 'Brandpreventie' }).first();
    await row.locator('details.menu summary').click();
    await row.getByRole('link', { name: 'Deelnemers tonen' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Deelnemers:/ })).toBeVisible();
    const withdrawn = page.locator('tr', { hasText: WITHDRAWER.name });
    await expect(withdrawn).toContainText('Uitgeschreven op');
    await expect(withdrawn).toContainText('Voorstel: Uitgeschreven met geldige reden');
    await expect(page.locator('tr', { hasText: ELEARNER.name })).toContainText('Vooraf afgemeld voor bijeenkomst 1: Afspraak bij de tandarts');
    await expectNoA11yViolations(page, 'the participants page with a withdrawal and a reported absence');
  });
});

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../testing/factories.ts';
import { TestBrowser, testApp } from '../testing/http.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

/** Values that have broken web applications before: injection, markup, control and unusual characters. */
const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE enrolments; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '👩🏽‍🏫🎓',
  '\u0000',
  'a\u0000b',
  '../../../etc/passwd',
  '=HYPERLINK("http://evil.example")',
  '${7*7}{{7*7}}',
  'x'.repeat(5000),
  '-1',
  '1e309',
  'NaN',
  '',
];

const hostileText = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 50 }), fc.string({ unit: 'binary', maxLength: 30 }));

/** A fingerprint of everything a refused request must leave untouched. */
async function snapshot(db: Kysely<Database>) {
  const [enrolments, attendance, history, certificates] = await Promise.all([
    db.selectFrom('enrolments').select(['id', 'status', 'effort', 'effort_comment', 'version', 'force_majeure_note']).orderBy('id').execute(),
    db.selectFrom('attendance').select(['enrolment_id', 'meeting_id', 'present', 'study_points']).orderBy('enrolment_id').orderBy('meeting_id').execute(),
    db.selectFrom('history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('certificates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return JSON.stringify({ enrolments, attendance, history: Number(history.n), certificates: Number(certificates.n) });
}

describeEachDatabase('hostile input', (store) => {
  const db = () => store().db;

  it('never answers the participants form with a server error, and a refusal changes nothing', async () => {
    const app = testApp(store());
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, -1] });
    const enrolments = [];
    for (let i = 0; i < 3; i += 1) enrolments.push(await enrol(db(), run, (await makeUser(db())).id));
    const browser = await TestBrowser.signedIn(app, store(), teacher.id);
    const rowId = fc.oneof({ arbitrary: fc.constantFrom(...enrolments.map((e) => e.id)), weight: 5 }, { arbitrary: hostileText, weight: 1 });
    const statusValue = fc.oneof(fc.constantFrom('', 'completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid', 'exempted', 'started'), hostileText);
    const effortValue = fc.oneof(fc.constantFrom('', 'good', 'excellent'), hostileText);
    const row = fc.record({ id: rowId, version: fc.oneof({ arbitrary: fc.constant('1'), weight: 5 }, { arbitrary: hostileText, weight: 1 }), present: fc.boolean(), status: statusValue, effort: effortValue, comment: hostileText, note: hostileText });
    const form = fc.record({
      rows: fc.array(row, { minLength: 0, maxLength: 4 }),
      meetings: fc.array(fc.oneof(fc.constantFrom(...run.meetings.map((m) => m.id)), hostileText), { maxLength: 3 }),
      all: fc.boolean(),
      ignore: fc.boolean(),
    });

    let tried = 0;
    await fc.assert(
      fc.asyncProperty(form, async (f) => {
        tried += 1;
        const before = await snapshot(db());
        const fields: [string, string][] = [];
        for (const r of f.rows) {
          fields.push(['row', r.id], [`version.${r.id}`, r.version], [`status.${r.id}`, r.status], [`effort.${r.id}`, r.effort], [`comment.${r.id}`, r.comment], [`proofNote.${r.id}`, r.note]);
          if (r.present) fields.push([`present.${r.id}`, '1']);
        }
        for (const m of f.meetings) fields.push(['meeting', m]);
        if (f.all) fields.push(['allMeetings', '1']);
        if (f.ignore) fields.push(['ignoreMaximum', '1']);
        const response = await browser.post(`/teacher/runs/${run.id}`, fields);
        expect(response.status).toBeLessThan(500);
        const html = await response.text();
        if (response.status >= 400) {
          expect(await snapshot(db())).toBe(before);
          expect(html).toMatch(/Niet opgeslagen|Intussen gewijzigd|Bevestigen|bestaat niet/);
          expect(html).not.toContain('<script>alert(1)</script>');
          expect(html).not.toContain('<img src=x');
        }
      }),
      { numRuns: 60 },
    );
    expect(tried).toBe(60);
  });

  it('stores text with control characters safely or refuses it, on both databases', async () => {
    const app = testApp(store());
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7] });
    const e = await enrol(db(), run, (await makeUser(db())).id);
    const browser = await TestBrowser.signedIn(app, store(), teacher.id);
    const response = await browser.post(`/teacher/runs/${run.id}`, [
      ['row', e.id],
      [`version.${e.id}`, '1'],
      [`effort.${e.id}`, 'good'],
      [`comment.${e.id}`, 'vóór\u0000na 👩🏽‍🏫 \u202Eomgekeerd'],
    ]);
    expect(response.status).toBe(303);
    const [row] = await db().selectFrom('enrolments').select('effort_comment').where('id', '=', e.id).execute();
    expect(row!.effort_comment).toBe('vóórna 👩🏽‍🏫 \u202Eomgekeerd');
    const login = await browser.post('/login', [
      ['email', 'a\u0000b@presentia.test'],
      ['password', 'x'],
    ]);
    expect(login.status).toBeLessThan(500);
  });

  it('never answers the login form with a server error', async () => {
    const app = testApp(store());
    const browser = new TestBrowser(app);
    await browser.get('/login');
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, async (email, password, next) => {
        const response = await browser.post('/login', [
          ['email', email],
          ['password', password],
          ['next', next],
        ]);
        expect([401, 422, 429]).toContain(response.status);
        const html = await response.text();
        expect(html).not.toContain('<script>alert(1)</script>');
      }),
      { numRuns: 40 },
    );
  });
});

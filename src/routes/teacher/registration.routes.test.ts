import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.ts';
import { actorOf, enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { registerAttendance } from '../../services/register-attendance.ts';

/** The participants form as a browser sends it after loading the page: every row with what it showed. */
async function loadedForm(browser: TestBrowser, runId: string) {
  const html = await (await browser.get(`/teacher/runs/${runId}`)).text();
  const value = (name: string) => new RegExp(`name="${name.replace(/\./g, '\\.')}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
  const row = (id: string, extra: Record<string, string> = {}): [string, string][] => {
    const fields: Record<string, string> = { status: '', effort: '', comment: '', proofNote: '', version: value(`version.${id}`), seen: value(`seen.${id}`), ...extra };
    return [['row', id], ...Object.entries(fields).map(([k, v]) => [`${k}.${id}`, v] as [string, string])];
  };
  return { html, row, seenMeetings: ['seenMeetings', value('seenMeetings')] as [string, string] };
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describeEachDatabase('registration form (issue 8)', (store) => {
  const db = () => store().db;

  async function setUp(meetingDays = [-7, -1, 7], points = 1) {
    const app = testApp(store());
    const teacher = await makeUser(db(), ['teacher'], 'Docent Dirk');
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays, points });
    const a = await enrol(db(), run, (await makeUser(db(), ['participant'], 'Ann Peeters')).id);
    const b = await enrol(db(), run, (await makeUser(db(), ['participant'], 'Bert Claes')).id);
    const browser = await TestBrowser.signedIn(app, store(), teacher.id);
    return { app, teacher, run, a, b, browser };
  }

  it('shows the colleague\'s value beside mine for the same value, lets me choose, and merges the rest (R11)', async () => {
    const { app, run, a, b, browser } = await setUp();
    const form = await loadedForm(browser, run.id);
    const admin = await makeUser(db(), ['admin'], 'Beheerder Bea');
    const other = await TestBrowser.signedIn(app, store(), admin.id);
    const theirs = await loadedForm(other, run.id);
    expect((await other.post(`/teacher/runs/${run.id}`, [theirs.seenMeetings, ...theirs.row(a.id, { effort: 'excellent', comment: 'Van Bea' })])).status).toBe(303);

    const fields = [form.seenMeetings, ...form.row(a.id, { effort: 'sufficient', comment: 'Van Dirk' }), ...form.row(b.id, { effort: 'good' })];
    const conflict = await browser.post(`/teacher/runs/${run.id}`, fields);
    expect(conflict.status).toBe(409);
    const html = await conflict.text();
    expect(text(html)).toContain('Ann Peeters Inzet Uitstekend – “Van Bea” Voldoende – “Van Dirk”');
    expect(html).toContain(`name="resolve.${a.id}.effort" value="theirs" required=""`);
    expect(html).not.toContain(`resolve.${b.id}`);
    const [stored] = await db().selectFrom('enrolments').select('effort').where('id', '=', b.id).execute();
    expect(stored!.effort).toBeNull();

    const mine = /name="resolve\.[^"]+\.effort" value="(mine:[^"]+)"/.exec(html)![1]!;
    const saved = await browser.post(`/teacher/runs/${run.id}`, [...fields, [`resolve.${a.id}.effort`, mine]]);
    expect(saved.status).toBe(303);
    const rows = await db().selectFrom('enrolments').select(['id', 'effort', 'effort_comment']).where('run_id', '=', run.id).orderBy('id').execute();
    expect(rows).toEqual(
      [
        { id: a.id, effort: 'sufficient', effort_comment: 'Van Dirk' },
        { id: b.id, effort: 'good', effort_comment: null },
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
  });

  it('refuses presence at a meeting still to come, naming it (R2)', async () => {
    const { run, a, browser } = await setUp([-7, 7]);
    const form = await loadedForm(browser, run.id);
    const response = await browser.post(`/teacher/runs/${run.id}`, [form.seenMeetings, ...form.row(a.id, { present: '1' }), ['meeting', run.meetings[1]!.id]]);
    expect(response.status).toBe(422);
    expect(text(await response.text())).toMatch(/De bijeenkomst van \d+ \w+ \d{4} \d\d:\d\d is nog niet begonnen/);
    expect(await db().selectFrom('attendance').selectAll().where('enrolment_id', '=', a.id).execute()).toEqual([]);
  });

  it('says that points were removed, not credited, and that a proof note was recorded (summary)', async () => {
    const { teacher, run, a, browser } = await setUp([-7, -1], 2);
    const meeting = run.meetings[0]!.id;
    await registerAttendance(db(), actorOf(teacher), {
      runId: run.id, meetingIds: [meeting], allMeetings: false, ignoreMaximum: false, confirmEarlyCompletion: false, confirmOverwrites: false,
      rows: [{ enrolmentId: a.id, version: 1, present: true, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null }],
    });
    let form = await loadedForm(browser, run.id);
    const removed = await browser.post(`/teacher/runs/${run.id}`, [form.seenMeetings, ...form.row(a.id), ['meeting', meeting], ['confirmOverwrites', '1']]);
    const page = text(await (await browser.get(removed.headers.get('location')!)).text());
    expect(page).toContain('2 studiepunten ingetrokken.');
    expect(page).not.toContain('toegekend');

    form = await loadedForm(browser, run.id);
    const proof = await browser.post(`/teacher/runs/${run.id}`, [form.seenMeetings, ...form.row(a.id, { proofNote: 'Attest van de huisarts gezien' })]);
    const after = text(await (await browser.get(proof.headers.get('location')!)).text());
    expect(after).toContain('Bewijs van overmacht voor 1 deelnemer geregistreerd.');
    expect(after).not.toContain('niets opgeslagen');
  });

  it('shows a withdrawal with its status and "Corrigeren" to the teacher who set it, and corrects it after confirmation (R1)', async () => {
    const { run, a, browser } = await setUp([-7, 7]);
    let form = await loadedForm(browser, run.id);
    expect((await browser.post(`/teacher/runs/${run.id}`, [form.seenMeetings, ...form.row(a.id, { status: 'withdrawn_invalid' })])).status).toBe(303);

    form = await loadedForm(browser, run.id);
    const inactive = form.html.slice(form.html.indexOf('id="inactive-title"'));
    expect(text(inactive)).toContain('Ann Peeters Uitgeschreven zonder geldige reden');
    expect(inactive).toContain('<summary>Corrigeren</summary>');
    expect(inactive).toContain('<option value="enrolled">Terug naar Ingeschreven</option>');

    const fields = [form.seenMeetings, ...form.row(a.id, { status: 'enrolled' })];
    const asked = await browser.post(`/teacher/runs/${run.id}`, fields);
    expect(asked.status).toBe(200);
    expect(text(await asked.text())).toContain('Ann Peeters: Uitgeschreven zonder geldige reden → Ingeschreven');
    const saved = await browser.post(`/teacher/runs/${run.id}`, [...fields, ['confirmOverwrites', '1']]);
    expect(saved.status).toBe(303);
    const [row] = await db().selectFrom('enrolments').select(['status', 'withdrawn_on']).where('id', '=', a.id).execute();
    expect(row).toEqual({ status: 'enrolled', withdrawn_on: null });
  });

  it('takes the withdrawal date from the form and keeps it when refused (R4)', async () => {
    const { run, a, browser } = await setUp([10, 17]);
    const form = await loadedForm(browser, run.id);
    expect(form.html).toMatch(new RegExp(`name="withdrawnOn\\.${a.id}" value="\\d{4}-\\d{2}-\\d{2}"`));
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const refused = await browser.post(`/teacher/runs/${run.id}`, [form.seenMeetings, ...form.row(a.id, { status: 'withdrawn_invalid', withdrawnOn: future })]);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('De datum van uitschrijving mag niet in de toekomst liggen.');
    expect(html).toContain(`name="withdrawnOn.${a.id}" value="${future}"`);
  });
});

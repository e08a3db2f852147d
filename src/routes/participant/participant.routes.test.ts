import { expect, it } from 'vitest';
import { newId } from '../../db/index.ts';
import { appendHistory } from '../../repositories/history.ts';
import { HISTORY_PAGE_SIZE } from '../../services/participant.ts';
import { teacherSaves } from '../../testing/teacher-saves.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

const HOSTILE_NAME = '<script>alert(1)</script> مرحبا 👩🏽‍🏫';

describeEachDatabase('participant routes', (store) => {
  const db = () => store().db;

  async function setUp(teacherName = 'Docent Dirk') {
    const app = testApp(store());
    const teacher = await makeUser(db(), ['teacher'], teacherName);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, -1], points: 1.5, maxPoints: 10 });
    const ann = await makeUser(db(), ['participant'], 'Ann Peeters');
    const e = await enrol(db(), run, ann.id);
    const browser = await TestBrowser.signedIn(app, store(), ann.id);
    return { app, teacher, run, ann, e, browser };
  }

  it('lists the participant\'s courses with status, points, certificate link and the transcript', async () => {
    const { teacher, run, e, browser } = await setUp();
    await teacherSaves(db(), teacher, run.id, e.id, { present: true, allMeetings: true, status: 'completed' });
    const cert = await db().selectFrom('certificates').select(['id', 'number']).where('enrolment_id', '=', e.id).executeTakeFirstOrThrow();

    const response = await browser.get('/me/enrolments');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('<h1>Mijn opleidingen</h1>');
    expect(html).toContain(`href="/me/enrolments/${e.id}"`);
    expect(html).toContain('Eerste hulp op de werkvloer');
    expect(html).toContain('Klassikaal');
    expect(html).toContain('status-completed">Voltooid</span>');
    expect(html).toContain(`href="/me/certificates/${cert.id}.pdf">Certificaat ${cert.number} downloaden (pdf)</a>`);
    expect(html).toContain('Studiepuntenoverzicht');
    expect(html).toMatch(/<th scope="row">Totaal<\/th><td class="num"><strong>3<\/strong>/);
  });

  it('says when there is nothing yet, and shows "Uitvoeringskeuze vereist" for an enrolment without a run', async () => {
    const app = testApp(store());
    const user = await makeUser(db());
    const browser = await TestBrowser.signedIn(app, store(), user.id);
    expect(await (await browser.get('/me/enrolments')).text()).toContain('Je bent nog niet ingeschreven voor een opleiding.');

    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id });
    const e = await enrol(db(), run, user.id, { status: 'run_choice_required' });
    await db().updateTable('enrolments').set({ run_id: null }).where('id', '=', e.id).execute();
    const list = await (await browser.get('/me/enrolments')).text();
    expect(list.match(/Uitvoeringskeuze vereist/g)).toHaveLength(2); // the run column and the status badge
    const detail = await (await browser.get(`/me/enrolments/${e.id}`)).text();
    expect(detail).toContain('Kies eerst een uitvoering van deze opleiding');
  });

  it('shows the enrolment after a teacher\'s save: status, attendance, points, effort, certificate and history (R6, R9)', async () => {
    const { teacher, run, e, browser } = await setUp();
    await teacherSaves(db(), teacher, run.id, e.id, { present: true, meetingIds: [run.meetings[0]!.id] });
    await teacherSaves(db(), teacher, run.id, e.id, {
      present: false,
      meetingIds: [run.meetings[1]!.id],
      status: 'completed',
      effort: 'good',
      effortComment: 'Stelde <b>goede</b> vragen',
    });
    const cert = await db().selectFrom('certificates').select(['id', 'number', 'verification_code']).where('enrolment_id', '=', e.id).executeTakeFirstOrThrow();

    const response = await browser.get(`/me/enrolments/${e.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const text of [
      'status-completed">Voltooid</span>',
      '1,5 van maximaal 10',
      '<td>Aanwezig</td>',
      '<td>Afwezig</td>',
      '<h2 id="effort-title">Inzet</h2>',
      '<td>Goed</td>',
      'Stelde &lt;b&gt;goede&lt;/b&gt; vragen',
      `<th scope="row">${cert.number}</th>`,
      `href="/me/certificates/${cert.id}.pdf"`,
      `href="/verify/${cert.verification_code}"`,
      '<h2 id="history-title">Geschiedenis</h2>',
      'Docent Dirk',
      'Docent (deelnemersformulier)',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('<b>goede</b>');
    // History values appear in the reader's words, not as stored codes.
    expect(html).toContain('<bdi>Ingeschreven</bdi>');
    expect(html).toContain('<bdi>Goed – “Stelde &lt;b&gt;goede&lt;/b&gt; vragen”</bdi>');
    expect(html).not.toContain('<bdi>completed</bdi>');
    expect(html).not.toContain('<bdi>present</bdi>');
    // Newest first: the status change of the second save comes before the first save's attendance.
    expect(html.indexOf('<bdi>Voltooid</bdi>')).toBeLessThan(html.indexOf('<bdi>Aanwezig</bdi>'));
  });

  it('speaks English to a reader who chose it, history included', async () => {
    const { teacher, run, e, browser } = await setUp();
    await teacherSaves(db(), teacher, run.id, e.id, { present: true, allMeetings: true, status: 'completed', effort: 'excellent' });
    await browser.post('/language', { locale: 'en', next: '/' });
    const html = await (await browser.get(`/me/enrolments/${e.id}`)).text();
    expect(html).toContain('<html lang="en">');
    for (const text of ['Completed', 'Excellent', 'History', 'Teacher (participants form)', '<bdi>Present</bdi>', '3 of at most 10']) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('Geschiedenis');
  });

  it('answers "not found or no access" for another participant\'s enrolment, revealing nothing', async () => {
    const { app, e } = await setUp();
    await db().updateTable('courses').set({ title: 'Geheime opleiding' }).where('id', '=', (await db().selectFrom('enrolments').select('course_id').where('id', '=', e.id).executeTakeFirstOrThrow()).course_id).execute();
    const bert = await makeUser(db(), ['participant', 'admin']);
    const other = await TestBrowser.signedIn(app, store(), bert.id);
    for (const path of [`/me/enrolments/${e.id}`, `/me/enrolments/${newId()}`, `/me/enrolments/${e.id}?before=${newId()}`]) {
      const response = await other.get(path);
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(html).toContain('bestaat niet, of je hebt er geen toegang toe');
      expect(html).not.toContain('Geheime opleiding');
    }
    const anonymous = await app.request(`/me/enrolments/${e.id}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/me/enrolments/${e.id}`)}`);
  });

  it('escapes a teacher name with markup, right-to-left text and emoji in the history', async () => {
    const { teacher, run, e, browser } = await setUp(HOSTILE_NAME);
    await teacherSaves(db(), teacher, run.id, e.id, { effort: 'sufficient', effortComment: '"><img src=x onerror=alert(1)>' });
    const html = await (await browser.get(`/me/enrolments/${e.id}`)).text();
    expect(html).toContain('<bdi>&lt;script&gt;alert(1)&lt;/script&gt; مرحبا 👩🏽‍🏫</bdi>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
  });

  it('pages a long history with older/newest links', async () => {
    const { ann, e, run, browser } = await setUp();
    const total = HISTORY_PAGE_SIZE + 3;
    await appendHistory(
      db(),
      Array.from({ length: total }, (_, i) => ({
        id: newId(),
        at: new Date().toISOString(),
        actor_id: null,
        source: 'system' as const,
        user_id: ann.id,
        enrolment_id: e.id,
        run_id: run.id,
        meeting_id: null,
        field: 'status' as const,
        old_value: i % 2 === 0 ? 'enrolled' : 'started',
        new_value: i % 2 === 0 ? 'started' : 'enrolled',
        note: null,
      })),
    );
    const first = await (await browser.get(`/me/enrolments/${e.id}`)).text();
    const older = first.match(/href="(\/me\/enrolments\/[^"?]+\?before=[0-9A-Z]{26})#history">Oudere wijzigingen</);
    expect(older).not.toBeNull();
    expect(first).not.toContain('Nieuwste wijzigingen');
    expect(first).toContain('<td>Systeem</td>');

    const second = await (await browser.get(older![1]!)).text();
    expect(second).toContain('Nieuwste wijzigingen');
    expect(second).not.toContain('Oudere wijzigingen');
    expect(second.slice(second.indexOf('id="history"')).match(/<time datetime=/g)).toHaveLength(3);
  });
});

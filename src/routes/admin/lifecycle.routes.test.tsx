import { expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

const nl = messages('nl');
const en = messages('en');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describeEachDatabase('administrator’s lifecycle pages', (store) => {
  async function scene() {
    const db = store().db;
    const app = testApp(store());
    const admin = await makeUser(db, ['admin']);
    const teacher = await makeUser(db, ['teacher']);
    const participant = await makeUser(db, ['participant'], 'Ann Peeters');
    const run = await makeRun(db, { teacherId: teacher.id });
    const enrolment = await enrol(db, run, participant.id);
    return {
      db,
      app,
      run,
      enrolment,
      admin: await TestBrowser.signedIn(app, store(), admin.id),
      teacher: await TestBrowser.signedIn(app, store(), teacher.id),
      participant: await TestBrowser.signedIn(app, store(), participant.id),
    };
  }

  it('cancels a run with a reason; the teacher and the participant see Geannuleerd and the reason', async () => {
    const s = await scene();
    const overview = await s.admin.get('/admin');
    expect(await overview.text()).toContain('href="/admin/lifecycle"');
    const page = await s.admin.get(`/admin/lifecycle/runs/${s.run.id}/cancel`);
    expect(page.status).toBe(200);
    expect(text(await page.text())).toContain(nl.lifecycle.cancelRunText);

    const saved = await s.admin.post(`/admin/lifecycle/runs/${s.run.id}/cancel`, { reason: 'Lesgever <b>ziek</b>' });
    expect(saved.status).toBe(303);
    const location = saved.headers.get('location')!;
    expect(location).toBe(`/admin/lifecycle/courses/${s.run.courseId}#banner`);
    expect(text(await (await s.admin.get(location)).text())).toContain(nl.lifecycle.runCancelled(1));
    // The message comes from the session, once: a reload, or the address sent to someone else, shows none.
    expect(text(await (await s.admin.get(location)).text())).not.toContain(nl.lifecycle.runCancelled(1));

    const runs = await (await s.teacher.get('/teacher/runs')).text();
    expect(text(runs)).toContain(nl.teacher.cancelled);
    expect(runs).toContain('Geannuleerd: Lesgever &lt;b&gt;ziek&lt;/b&gt;');
    const participants = text(await (await s.teacher.get(`/teacher/runs/${s.run.id}`)).text());
    expect(participants).toContain(`${nl.teacher.cancelled} : Lesgever <b>ziek</b>`);
    const mine = text(await (await s.participant.get(`/me/enrolments/${s.enrolment.id}`)).text());
    expect(mine).toContain(nl.statuses.cancelled);
    expect(mine).toContain('Geannuleerd: Lesgever <b>ziek</b>');
  });

  it('refuses a cancellation without a reason with the reason beside the field, in Dutch and English, changing nothing', async () => {
    const s = await scene();
    const refused = await s.admin.post(`/admin/lifecycle/runs/${s.run.id}/cancel`, { reason: '   ' });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain(`id="reason-error">${nl.lifecycle.refusals.reason_required}<`);
    await s.admin.post('/language', { locale: 'en', next: '/' });
    const long = 'x'.repeat(1001);
    const english = await s.admin.post(`/admin/lifecycle/runs/${s.run.id}/cancel`, { reason: long });
    const englishHtml = await english.text();
    expect(englishHtml).toContain(en.lifecycle.refusals.reason_too_long);
    expect(englishHtml).toContain(`>${long}</textarea>`);
    const run = await s.db.selectFrom('runs').select('cancelled_at').where('id', '=', s.run.id).executeTakeFirstOrThrow();
    expect(run.cancelled_at).toBeNull();
  });

  it('refuses everyone but an administrator on every lifecycle page and form, whatever the form says', async () => {
    const s = await scene();
    const id = s.run.courseId;
    const gets = ['/admin/lifecycle', `/admin/lifecycle/courses/${id}`, `/admin/lifecycle/runs/${s.run.id}/cancel`, `/admin/lifecycle/courses/${id}/cancel`, `/admin/lifecycle/courses/${id}/new-version`, `/admin/lifecycle/courses/${id}/archive`, `/admin/lifecycle/enrolments/${s.enrolment.id}/exempt`, `/admin/lifecycle/courses/${id}/exemption-list`];
    for (const browser of [s.teacher, s.participant]) {
      for (const path of gets) expect(`${path} ${(await browser.get(path)).status}`).toBe(`${path} 404`);
      for (const [path, form] of [
        [`/admin/lifecycle/runs/${s.run.id}/cancel`, { reason: 'x' }],
        [`/admin/lifecycle/courses/${id}/archive`, {}],
        [`/admin/lifecycle/enrolments/${s.enrolment.id}/exempt`, { reason: 'x' }],
        [`/admin/lifecycle/courses/${id}/exemption-list`, { step: 'import', reason: 'x', listText: 'x@example.test' }],
      ] as const) {
        expect(`${path} ${(await browser.post(path, form)).status}`).toBe(`${path} 404`);
      }
    }
    const row = await s.db.selectFrom('enrolments').select('status').where('id', '=', s.enrolment.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('enrolled');
  });

  it('exempts one participant with evidence checked by its content; a wrong file is refused with the reason kept', async () => {
    const s = await scene();
    const path = `/admin/lifecycle/enrolments/${s.enrolment.id}/exempt`;
    const fake = new File(['<script>alert(1)</script>'], 'attest.pdf', { type: 'application/pdf' });
    const refused = await s.admin.post(path, [['reason', 'Attest EHBO'], ['evidence', fake]]);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain(nl.lifecycle.refusals.evidence_file_type);
    expect(html).toContain('>Attest EHBO</textarea>');
    const pdf = new File([new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), 1, 2, 3])], 'attest.pdf');
    const saved = await s.admin.post(path, [['reason', 'Attest EHBO'], ['evidence', pdf]]);
    expect(saved.status).toBe(303);
    const row = await s.db.selectFrom('enrolments').select(['status', 'exemption_reason', 'exemption_file']).where('id', '=', s.enrolment.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('exempted');
    expect(row.exemption_reason).toBe('Attest EHBO');
    expect(row.exemption_file).toMatch(/^[0-9A-Z]{26}\.pdf$/);
    expect(text(await (await s.admin.get(saved.headers.get('location')!)).text())).toContain(nl.lifecycle.exemptedDone('Ann Peeters'));
  });

  it('previews an exemption list line by line, then imports it in one go', async () => {
    const s = await scene();
    const email = (await s.db.selectFrom('users').select('email').innerJoin('enrolments', 'enrolments.user_id', 'users.id').where('enrolments.id', '=', s.enrolment.id).executeTakeFirstOrThrow()).email;
    const path = `/admin/lifecycle/courses/${s.run.courseId}/exemption-list`;
    const list = new File([`\uFEFFe-mail;naam\n${email};Ann\nniemand@example.test;X\n`], 'lijst.csv', { type: 'text/csv' });
    const preview = await s.admin.post(path, [['step', 'preview'], ['reason', 'Basislijst 2026'], ['list', list]]);
    expect(preview.status).toBe(200);
    const page = text(await preview.text());
    expect(page).toContain(nl.lifecycle.previewCounts(1, 0, 1));
    expect(page).toContain(nl.lifecycle.lineReasons.unknown_person);
    expect((await s.db.selectFrom('enrolments').select('status').where('id', '=', s.enrolment.id).executeTakeFirstOrThrow()).status).toBe('enrolled');
    const imported = await s.admin.post(path, { step: 'import', reason: 'Basislijst 2026', listText: `e-mail;naam\n${email};Ann\nniemand@example.test;X\n` });
    expect(imported.status).toBe(303);
    expect(text(await (await s.admin.get(imported.headers.get('location')!)).text())).toContain(nl.lifecycle.imported(1, 0, 1));
    expect((await s.db.selectFrom('enrolments').select('status').where('id', '=', s.enrolment.id).executeTakeFirstOrThrow()).status).toBe('exempted');
  });

  it('publishes a new version and archives the old one from their confirmation pages', async () => {
    const s = await scene();
    const published = await s.admin.post(`/admin/lifecycle/courses/${s.run.courseId}/new-version`, {});
    expect(published.status).toBe(303);
    expect(text(await (await s.admin.get(published.headers.get('location')!)).text())).toContain(nl.lifecycle.published(2));
    const again = await s.admin.post(`/admin/lifecycle/courses/${s.run.courseId}/new-version`, {});
    expect(again.status).toBe(422);
    expect(text(await again.text())).toContain(nl.lifecycle.refusals.newer_version_exists);
    const archived = await s.admin.post(`/admin/lifecycle/courses/${s.run.courseId}/archive`, {});
    expect(archived.status).toBe(303);
    expect((await s.db.selectFrom('enrolments').select('status').where('id', '=', s.enrolment.id).executeTakeFirstOrThrow()).status).toBe('archived');
  });
});

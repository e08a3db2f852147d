import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { pageText } from '../../testing/hostile.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { pdfPages } from '../../testing/pdf.ts';

describeEachDatabase('attendance sheet routes', (store) => {
  async function setUp() {
    const db = store().db;
    const app = testApp(store());
    const teacher = await makeUser(db, ['teacher']);
    const run = await makeRun(db, { teacherId: teacher.id, meetingDays: [-7, 7] });
    const code = `EHBO/${run.id.slice(-6)} "voorjaar"`;
    await db.updateTable('runs').set({ code }).where('id', '=', run.id).execute();
    await enrol(db, run, (await makeUser(db, ['participant'], 'Αλέξανδρος Παπαδόπουλος')).id);
    return { app, teacher, run, file: `EHBO-${run.id.slice(-6)}-voorjaar`, browser: await TestBrowser.signedIn(app, store(), teacher.id) };
  }

  it('offers the sheets in the gear menu and on a page per meeting', async () => {
    const { run, browser } = await setUp();
    const runs = pageText(await (await browser.get('/teacher/runs')).text());
    expect(runs).toContain('Presentielijst (alle bijeenkomsten)');
    expect(runs).toContain('Presentielijst per bijeenkomst');
    const page = await browser.get(`/teacher/runs/${run.id}/attendance-sheets`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`/teacher/runs/${run.id}/attendance-sheet.pdf`);
    for (const m of run.meetings) expect(html).toContain(`/teacher/runs/${run.id}/meetings/${m.id}/attendance-sheet.pdf`);
  });

  it('downloads a meeting’s sheet and the whole run’s as PDF files with safe names', async () => {
    const { run, file, browser } = await setUp();
    const one = await browser.get(`/teacher/runs/${run.id}/meetings/${run.meetings[1]!.id}/attendance-sheet.pdf`);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe('application/pdf');
    expect(one.headers.get('content-disposition')).toBe(`attachment; filename="presentielijst-${file}-${run.meetings[1]!.starts_at.slice(0, 10)}.pdf"`);
    const pages = await pdfPages(Buffer.from(await one.arrayBuffer()));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Αλέξανδρος Παπαδόπουλος');
    const all = await browser.get(`/teacher/runs/${run.id}/attendance-sheet.pdf`);
    expect(all.headers.get('content-disposition')).toBe(`attachment; filename="presentielijst-${file}.pdf"`);
    expect(await pdfPages(Buffer.from(await all.arrayBuffer()))).toHaveLength(2);
  });
});

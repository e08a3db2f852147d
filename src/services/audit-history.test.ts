import { expect, it } from 'vitest';
import { newId, nowIso, type Db } from '../db/index.ts';
import { appendHistory } from '../repositories/history.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, makeRun, makeUser } from '../testing/factories.ts';
import { AUDIT_EXPORT_BATCH, AUDIT_PAGE_SIZE, browseAuditHistory, exportAuditHistory } from './audit-history.ts';

describeEachDatabase('administrators’ audit history', (store) => {
  const db = (): Db => store().db;

  async function scene() {
    const admin = await makeUser(db(), ['admin']);
    const other = await makeUser(db(), ['admin']);
    const teacher = await makeUser(db(), ['teacher']);
    const person = await makeUser(db());
    const run = await makeRun(db(), { teacherId: teacher.id });
    const code = (await db().selectFrom('runs').select('code').where('id', '=', run.id).executeTakeFirstOrThrow()).code;
    const email = async (id: string) => (await db().selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
    const rows = [];
    // 120 rows over 4 days (2026-03-26 … 29 around the spring clock change), alternating actor, kind and run.
    for (let i = 0; i < 120; i += 1) {
      const day = 26 + Math.floor(i / 30);
      rows.push({
        id: newId(),
        at: `2026-03-${day}T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
        actor_id: i % 2 === 0 ? admin.id : other.id,
        source: 'admin' as const,
        user_id: i % 3 === 0 ? person.id : teacher.id,
        enrolment_id: null,
        run_id: i % 4 === 0 ? run.id : null,
        meeting_id: null,
        field: i % 5 === 0 ? ('status' as const) : ('enrolment' as const),
        old_value: null,
        new_value: `v${i}`,
        note: null,
      });
    }
    await appendHistory(db(), rows);
    return { admin: actorOf(admin), adminEmail: await email(admin.id), personEmail: await email(person.id), code, rows };
  }

  it('filters by run, person, actor, kind and Brussels dates, newest first, in keyset pages both ways', async () => {
    const s = await scene();
    const expected = s.rows.filter((r, i) => i % 2 === 0 && i % 3 === 0 && r.at >= '2026-03-27' && r.at < '2026-03-29').map((r) => r.new_value).reverse();
    const query = { person: s.personEmail.toUpperCase(), actor: s.adminEmail, from: '2026-03-27', to: '2026-03-28' };
    const page = await browseAuditHistory(db(), s.admin, query);
    expect(page.problems).toEqual({});
    expect(page.page.rows.map((r) => r.new_value)).toEqual(expected);
    expect(page.page.rows[0]).toMatchObject({ actor_email: s.adminEmail, person_email: s.personEmail });

    const byRunAndKind = await browseAuditHistory(db(), s.admin, { run: s.code, kind: 'status' });
    expect(byRunAndKind.page.rows.map((r) => r.new_value)).toEqual(s.rows.filter((_, i) => i % 4 === 0 && i % 5 === 0).map((r) => r.new_value).reverse());

    // Empty filters filter nothing: the newest page of the whole history.
    const unfiltered = await browseAuditHistory(db(), s.admin, { actor: '', person: ' ' });
    expect(unfiltered.page.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect((await browseAuditHistory(db(), s.admin, { run: s.code })).page.rows).toHaveLength(30);
  });

  it('pages through a filter newest first and back', async () => {
    const s = await scene();
    const own = s.rows.filter((_, i) => i % 2 === 0).map((r) => r.new_value).reverse();
    const p1 = await browseAuditHistory(db(), s.admin, { actor: s.adminEmail });
    expect(p1.page.rows.map((r) => r.new_value)).toEqual(own.slice(0, AUDIT_PAGE_SIZE));
    expect(p1.page.previous).toBeNull();
    const p2 = await browseAuditHistory(db(), s.admin, { actor: s.adminEmail }, { after: p1.page.next! });
    expect(p2.page.rows.map((r) => r.new_value)).toEqual(own.slice(AUDIT_PAGE_SIZE));
    expect(p2.page.next).toBeNull();
    const back = await browseAuditHistory(db(), s.admin, { actor: s.adminEmail }, { before: p2.page.previous! });
    expect(back.page.rows.map((r) => r.new_value)).toEqual(own.slice(0, AUDIT_PAGE_SIZE));
  });

  it('says which filter names nothing known, and then shows nothing rather than everything', async () => {
    const s = await scene();
    const result = await browseAuditHistory(db(), s.admin, { run: 'GEEN', person: 'niemand@example.test', kind: 'drop table', from: '2026-02-31', to: 'gisteren' });
    expect(result.problems).toEqual({ run: 'unknown_run', person: 'unknown_person', kind: 'unknown_kind', from: 'invalid_date', to: 'invalid_date' });
    expect(result.page.rows).toEqual([]);
    expect((await browseAuditHistory(db(), s.admin, { from: '2026-03-28', to: '2026-03-27' })).problems).toEqual({ to: 'dates_reversed' });
    await expect(browseAuditHistory(db(), actorOf(await makeUser(db(), ['teacher'])), {})).rejects.toMatchObject({ id: 'not_found_or_no_access' });
  });

  it('exports every matching row, newest first, across several keyset pages', async () => {
    const s = await scene();
    const person = await makeUser(db());
    const many = Array.from({ length: AUDIT_EXPORT_BATCH + 10 }, (_, i) => ({
      id: newId(), at: nowIso(), actor_id: null, source: 'system' as const, user_id: person.id, enrolment_id: null, run_id: null, meeting_id: null, field: 'status' as const, old_value: null, new_value: String(i), note: null,
    }));
    await appendHistory(db(), many);
    const email = (await db().selectFrom('users').select('email').where('id', '=', person.id).executeTakeFirstOrThrow()).email;
    const values: string[] = [];
    for await (const row of await exportAuditHistory(db(), s.admin, { person: email })) values.push(row.new_value!);
    expect(values).toEqual(many.map((r) => r.new_value).reverse());
    // Access is refused before the first row, not half-way through a download.
    await expect(exportAuditHistory(db(), actorOf(await makeUser(db(), ['teacher'])), {})).rejects.toMatchObject({ id: 'not_found_or_no_access' });
  });
});

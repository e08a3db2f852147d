import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { makeCourse } from '../testing/factories.ts';
import { afterKey, decodeCursor, encodeCursor, toKeysetPage, type PageRequest } from './keyset.ts';
import { newId, nowIso } from './index.ts';

describe('cursors', () => {
  it('round-trip a sort key and refuse anything else', () => {
    const key = ['2026-03-01', '01J0ABC', 'é 👩🏽‍🏫'];
    expect(decodeCursor(encodeCursor(key), 3)).toEqual(key);
    expect(decodeCursor(encodeCursor(key), 2)).toBeUndefined();
    for (const bad of ['', 'x', '!!!', encodeCursor([1, 2] as never), Buffer.from('{"a":1}').toString('base64url'), 'A'.repeat(700), encodeCursor(['a\u0000', 'b'])]) {
      expect(decodeCursor(bad, 2)).toBeUndefined();
    }
  });
});

describeEachDatabase('keyset pages', (store) => {
  it('walks forwards and backwards through rows with equal sort values, never skipping or repeating one', async () => {
    const db = store().db;
    const { id: courseId } = await makeCourse(db);
    const days = ['2026-01-05', '2026-01-05', '2026-01-05', '2026-02-01', '2026-02-01', '2026-03-10', '2026-04-01'];
    const runs = days.map((d) => ({ id: newId(), course_id: courseId, code: `K-${newId()}`, starts_on: d, ends_on: d, place: 'Gent', capacity: null, cancelled_at: null, created_at: nowIso() }));
    await db.insertInto('runs').values(runs).execute();
    const expected = [...runs].sort((a, b) => (a.starts_on + a.id < b.starts_on + b.id ? -1 : 1)).map((r) => r.id);

    const fetch = async (request: PageRequest) => {
      const backwards = !!request.before && !request.after;
      const key = request.after ?? request.before;
      let q = db.selectFrom('runs').select(['id', 'starts_on']).where('course_id', '=', courseId);
      if (key) q = q.where((eb) => afterKey(eb, ['starts_on', 'id'], key, backwards ? '<' : '>'));
      const rows = await q
        .orderBy('starts_on', backwards ? 'desc' : 'asc')
        .orderBy('id', backwards ? 'desc' : 'asc')
        .limit(request.limit + 1)
        .execute();
      return toKeysetPage(rows, request, (r) => [r.starts_on, r.id]);
    };

    const seen: string[] = [];
    let page = await fetch({ limit: 3 });
    expect(page.previous).toBeNull();
    const pages = [page];
    seen.push(...page.rows.map((r) => r.id));
    while (page.next) {
      page = await fetch({ limit: 3, after: decodeCursor(page.next, 2) });
      pages.push(page);
      seen.push(...page.rows.map((r) => r.id));
    }
    expect(seen).toEqual(expected);
    expect(pages.map((p) => p.rows.length)).toEqual([3, 3, 1]);
    expect(page.next).toBeNull();

    // Back from the last page: the same second page, in the same order.
    const back = await fetch({ limit: 3, before: decodeCursor(page.previous, 2) });
    expect(back.rows.map((r) => r.id)).toEqual(pages[1]!.rows.map((r) => r.id));
    expect(back.next).not.toBeNull();
    const first = await fetch({ limit: 3, before: decodeCursor(back.previous, 2) });
    expect(first.rows.map((r) => r.id)).toEqual(pages[0]!.rows.map((r) => r.id));
    expect(first.previous).toBeNull();
  });
});

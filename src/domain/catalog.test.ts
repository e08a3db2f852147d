import { describe, expect, it } from 'vitest';
import { brusselsInstant, brusselsWallClock, shiftWallClock } from './brussels-time.ts';
import { changedAttributes, isContentReference, parseCourse, parseMeeting, parseProgramme, parseRun, planRunCopy, pointsOverMaximum, runState } from './catalog.ts';

describe('Brussels wall-clock time', () => {
  it('stores a meeting on the Sunday of a daylight-saving change at its wall-clock time', () => {
    // 29 March 2026: clocks go from 02:00 to 03:00; 25 October 2026: from 03:00 back to 02:00.
    expect(brusselsInstant('2026-03-28', '09:00')).toBe('2026-03-28T08:00:00.000Z');
    expect(brusselsInstant('2026-03-29', '09:00')).toBe('2026-03-29T07:00:00.000Z');
    expect(brusselsInstant('2026-10-25', '09:00')).toBe('2026-10-25T08:00:00.000Z');
    expect(brusselsInstant('2026-10-24', '09:00')).toBe('2026-10-24T07:00:00.000Z');
    for (const [date, time] of [['2026-03-29', '09:00'], ['2026-10-25', '09:00'], ['2026-10-25', '23:30'], ['2026-03-29', '00:15']] as const) {
      expect(brusselsWallClock(brusselsInstant(date, time))).toEqual({ date, time });
    }
  });

  it('moves a meeting by whole days keeping its wall-clock time across a change', () => {
    expect(shiftWallClock('2026-03-22T08:00:00.000Z', 7)).toBe('2026-03-29T07:00:00.000Z'); // 09:00 → 09:00
    expect(shiftWallClock('2026-10-18T07:00:00.000Z', 7)).toBe('2026-10-25T08:00:00.000Z');
    expect(shiftWallClock('2026-03-29T07:00:00.000Z', -7)).toBe('2026-03-22T08:00:00.000Z');
  });
});

describe('courses', () => {
  const good = { title: 'Eerste hulp', code: 'ehbo-1', kind: 'classroom', maxStudyPoints: '1,5', studyTermDays: '90', knowledgeCentreUrl: '/kenniscentrum/ehbo', elearningUrl: 'https://leer.example/ehbo' };
  it('accepts a course, with code in capitals and points with a decimal comma', () => {
    expect(parseCourse(good)).toEqual({
      ok: true,
      values: { title: 'Eerste hulp', code: 'EHBO-1', kind: 'classroom', description: null, maxStudyPoints: 1.5, studyTermDays: 90, studyTermEndsOn: null, knowledgeCentreUrl: '/kenniscentrum/ehbo', elearningUrl: 'https://leer.example/ehbo' },
    });
  });
  it('gives a reason per refused field', () => {
    const parsed = parseCourse({ ...good, title: ' ', code: 'EHBO-1', kind: 'webinar', maxStudyPoints: '-1', studyTermEndsOn: '2026-02-30', elearningUrl: 'javascript:alert(1)' }, (c) => c === 'EHBO-1');
    expect(parsed).toEqual({
      ok: false,
      errors: {
        title: { reason: 'required' },
        code: { reason: 'code_taken' },
        kind: { reason: 'kind' },
        maxStudyPoints: { reason: 'points', detail: '1000' },
        studyTermEndsOn: { reason: 'date' },
        elearningUrl: { reason: 'url' },
      },
    } satisfies typeof parsed);
    expect(parseCourse({ ...good, studyTermEndsOn: '2027-01-01' })).toMatchObject({ ok: false, errors: { studyTermEndsOn: { reason: 'term_both' } } });
    expect(parseCourse({ ...good, code: 'a b' })).toMatchObject({ ok: false, errors: { code: { reason: 'code_format' } } });
  });
  it('takes http(s) addresses and site paths as content references, nothing else', () => {
    for (const ok of ['https://x.example/a', 'http://x.example', '/kc/1']) expect(isContentReference(ok)).toBe(true);
    for (const bad of ['javascript:alert(1)', '//evil.example', 'ftp://x', 'https://x .example', 'data:text/html,x', '/\\evil']) expect(isContentReference(bad)).toBe(false);
  });
});

describe('programmes', () => {
  const codes: Record<string, string> = { A: 'id-a', B: 'id-b' };
  it('keeps the order of the codes given', () => {
    expect(parseProgramme({ title: 'Traject', courses: 'b\nA' }, (c) => codes[c])).toEqual({ ok: true, values: { title: 'Traject', studyTermDays: null, studyTermEndsOn: null, courseIds: ['id-b', 'id-a'] } });
  });
  it('names unknown and repeated codes', () => {
    expect(parseProgramme({ title: 'T', courses: 'A; X, Y' }, (c) => codes[c])).toMatchObject({ ok: false, errors: { courses: { reason: 'unknown_courses', detail: 'X, Y' } } });
    expect(parseProgramme({ title: 'T', courses: 'A\nB\na' }, (c) => codes[c])).toMatchObject({ ok: false, errors: { courses: { reason: 'duplicate_courses', detail: 'A' } } });
    expect(parseProgramme({ title: 'T', courses: '' }, (c) => codes[c])).toMatchObject({ ok: false, errors: { courses: { reason: 'required' } } });
  });
});

describe('runs and meetings', () => {
  const run = { startsOn: '2026-03-01', endsOn: '2026-03-31', place: 'Gent' };
  it('refuses run dates that leave out a meeting, and an end before the start', () => {
    expect(parseRun({ code: 'R1', place: 'Gent', startsOn: '2026-03-10', endsOn: '2026-03-31' }, { codeTaken: () => false, meetingDates: ['2026-03-05'] })).toMatchObject({
      ok: false,
      errors: { startsOn: { reason: 'meetings_outside', detail: '2026-03-05 – 2026-03-05' } },
    });
    expect(parseRun({ code: 'R1', place: 'Gent', startsOn: '2026-03-10', endsOn: '2026-03-01', capacity: '0' }, { codeTaken: () => false })).toMatchObject({
      ok: false,
      errors: { endsOn: { reason: 'end_before_start' }, capacity: { reason: 'capacity' } },
    });
  });
  it('reads a meeting in Brussels time within its run; an empty place is the run’s', () => {
    expect(parseMeeting({ date: '2026-03-29', startTime: '09:00', endTime: '12:30', studyPoints: '1' }, run, brusselsInstant)).toEqual({
      ok: true,
      values: { startsAt: '2026-03-29T07:00:00.000Z', endsAt: '2026-03-29T10:30:00.000Z', place: 'Gent', studyPoints: 1 },
    });
    expect(parseMeeting({ date: '2026-04-02', startTime: '12:00', endTime: '09:00', studyPoints: '' }, run, brusselsInstant)).toMatchObject({
      ok: false,
      errors: { date: { reason: 'outside_run' }, endTime: { reason: 'end_time_before_start' }, studyPoints: { reason: 'required' } },
    });
  });
  it('warns when the meetings carry more points than the course maximum', () => {
    expect(pointsOverMaximum([{ study_points: 1.5 }, { study_points: 2 }], 3)).toEqual({ total: 3.5, maximum: 3 });
    expect(pointsOverMaximum([{ study_points: 1.5 }, { study_points: 1.5 }], 3)).toBeNull();
  });
  it('copies a run to a new start date, each meeting at the same wall-clock time across a daylight-saving change', () => {
    const copy = planRunCopy(
      { place: 'Gent', capacity: 12, starts_on: '2026-03-15', ends_on: '2026-03-22' },
      [
        { starts_at: brusselsInstant('2026-03-15', '09:00'), ends_at: brusselsInstant('2026-03-15', '12:00'), place: 'Gent', study_points: 1 },
        { starts_at: brusselsInstant('2026-03-22', '13:00'), ends_at: brusselsInstant('2026-03-22', '16:00'), place: 'Lokaal 2', study_points: 2 },
      ],
      { code: 'r-2', startsOn: '2026-03-22' },
      () => false,
    );
    expect(copy).toEqual({
      ok: true,
      values: {
        run: { code: 'R-2', place: 'Gent', capacity: 12, startsOn: '2026-03-22', endsOn: '2026-03-29' },
        meetings: [
          { startsAt: brusselsInstant('2026-03-22', '09:00'), endsAt: brusselsInstant('2026-03-22', '12:00'), place: 'Gent', studyPoints: 1 },
          { startsAt: '2026-03-29T11:00:00.000Z', endsAt: '2026-03-29T14:00:00.000Z', place: 'Lokaal 2', studyPoints: 2 },
        ],
      },
    });
  });
  it('knows a run’s state on a date, and which attributes changed', () => {
    const r = { starts_on: '2026-03-01', ends_on: '2026-03-31', cancelled_at: null };
    expect([runState(r, '2026-02-28'), runState(r, '2026-03-01'), runState(r, '2026-03-31'), runState(r, '2026-04-01'), runState({ ...r, cancelled_at: 'x' }, '2026-03-05')]).toEqual([
      'planned',
      'running',
      'running',
      'finished',
      'cancelled',
    ]);
    expect(changedAttributes({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toEqual({ old: '{"b":"x"}', new: '{"b":"y"}' });
    expect(changedAttributes({ a: 1 }, { a: 1 })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { readExemptionList } from './exemption-list.ts';
import { planCancellation, planExemptionList, planNextVersion, type EnrolmentState } from './lifecycle.ts';
import { expiresToday, SWEEPABLE_STATUSES, termEndsOn } from './study-term.ts';

const e = (id: string, status: EnrolmentState['status'], userId = `u-${id}`): EnrolmentState => ({ id, user_id: userId, run_id: 'r', status, version: 1 });
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('study term (R8)', () => {
  it('sweeps exactly the open statuses, the day after the last day of the term', () => {
    expect([...SWEEPABLE_STATUSES].sort()).toEqual(['enrolled', 'not_started', 'run_choice_required', 'started']);
    expect(expiresToday('enrolled', '2026-12-01', '2026-12-02')).toBe(true);
    expect(expiresToday('enrolled', '2026-12-02', '2026-12-02')).toBe(false);
    expect(expiresToday('completed', '2020-01-01', '2026-12-02')).toBe(false);
    expect(expiresToday('exempted', '2020-01-01', '2026-12-02')).toBe(false);
    expect(expiresToday('started', null, '2026-12-02')).toBe(false);
  });

  it('takes the fixed term first, then the programme’s, then the course’s', () => {
    expect(termEndsOn({ termEndsOn: '2027-01-31', enrolledOn: '2026-01-01', programmeTermDays: 10, courseTermDays: 20 })).toBe('2027-01-31');
    expect(termEndsOn({ termEndsOn: null, enrolledOn: '2026-01-01', programmeTermDays: 10, courseTermDays: 20 })).toBe('2026-01-11');
    expect(termEndsOn({ termEndsOn: null, enrolledOn: '2026-01-01', programmeTermDays: null, courseTermDays: 20 })).toBe('2026-01-21');
    expect(termEndsOn({ termEndsOn: null, enrolledOn: '2026-01-01', programmeTermDays: null, courseTermDays: null })).toBeNull();
  });
});

describe('lifecycle planners', () => {
  it('cancels only open enrolments, and only with a reason', () => {
    const plan = planCancellation({ reason: ' Geen zaal ', cancelledAt: null, enrolments: [e('a', 'enrolled'), e('b', 'completed'), e('c', 'run_choice_required')] });
    expect(plan).toEqual({
      ok: true,
      value: {
        reason: 'Geen zaal',
        changes: [
          { enrolment: e('a', 'enrolled'), from: 'enrolled', to: 'cancelled' },
          { enrolment: e('c', 'run_choice_required'), from: 'run_choice_required', to: 'cancelled' },
        ],
      },
    });
    expect(planCancellation({ reason: '', cancelledAt: '2026-01-01T00:00:00Z', enrolments: [] })).toEqual({ ok: false, refusals: ['reason_required', 'already_cancelled'] });
  });

  it('publishes the next version only from the latest one', () => {
    const course = { id: 'c1', code: 'EHBO', title: 'EHBO', kind: 'classroom' as const, max_study_points: 3, study_term_days: 30, version: 2, knowledge_centre_url: null, elearning_url: null };
    expect(planNextVersion(course, 2)).toMatchObject({ ok: true, value: { version: 3, replaces_course_id: 'c1', code: 'EHBO', study_term_days: 30 } });
    expect(planNextVersion(course, 3)).toEqual({ ok: false, refusals: ['newer_version_exists'] });
  });

  it('refuses an exemption-list key that matches two people', () => {
    const people = new Map([['p-1', [{ id: 'x', name: 'X' }, { id: 'y', name: 'Y' }]]]);
    expect(planExemptionList([{ line: 1, key: 'p-1' }], people, new Map())).toMatchObject([{ outcome: 'refused', reason: 'ambiguous' }]);
  });
});

describe('reading an exemption list', () => {
  it('reads UTF-8 with or without BOM, ; or , separated, leaving out a title line', () => {
    expect(readExemptionList(utf8('\uFEFFE-mail;Naam\nan@example.test;An\n'))).toEqual({ lines: [{ line: 2, key: 'an@example.test' }] });
    expect(readExemptionList(utf8('P001,"Peeters, An"\nP002\n'))).toEqual({ lines: [{ line: 1, key: 'P001' }, { line: 2, key: 'P002' }] });
  });

  it('refuses what it cannot read, saying why', () => {
    expect(readExemptionList(new Uint8Array([0xc3, 0x28]))).toEqual({ refusal: 'list_not_utf8' });
    expect(readExemptionList(utf8('"open\n'))).toEqual({ refusal: 'list_unreadable' });
    expect(readExemptionList(new Uint8Array())).toEqual({ refusal: 'list_required' });
  });
});

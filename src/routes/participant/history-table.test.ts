import { describe, expect, it } from 'vitest';
import { formatDate, messages } from '../../i18n/index.ts';
import { meetingsChange } from '../../domain/history-entry.ts';
import { describeHistoryField, describeHistoryValue, describeHistoryValues } from './history-table.tsx';

const nl = messages('nl');
const en = messages('en');

describe('history values in the reader\'s words', () => {
  it('turns status, attendance and effort codes into labels', () => {
    expect(describeHistoryValue(nl, 'nl', 'status', 'withdrawn_valid')).toBe('Uitgeschreven met geldige reden');
    expect(describeHistoryValue(en, 'en', 'status', 'completed')).toBe('Completed');
    expect(describeHistoryValue(nl, 'nl', 'attendance', 'reported_absent')).toBe('Vooraf afgemeld');
    expect(describeHistoryValue(en, 'en', 'attendance', 'absent')).toBe('Absent');
    expect(describeHistoryValue(nl, 'nl', 'effort', 'good')).toBe('Goed');
    expect(describeHistoryValue(en, 'en', 'effort', 'insufficient: Kwam te laat: twee keer')).toBe('Insufficient – “Kwam te laat: twee keer”');
    expect(describeHistoryValue(nl, 'nl', 'effort', ': Alleen een opmerking')).toBe('“Alleen een opmerking”');
  });

  it('writes numbers and dates the reader\'s way', () => {
    expect(describeHistoryValue(nl, 'nl', 'points', '1.5')).toBe('1,5');
    expect(describeHistoryValue(en, 'en', 'points', '1.5')).toBe('1.5');
    expect(describeHistoryValue(nl, 'nl', 'withdrawal', '2026-03-02')).toBe('2 mrt 2026');
  });

  it('shows nothing for an empty value, hides storage keys, and keeps what it does not know as written', () => {
    expect(describeHistoryValue(nl, 'nl', 'status', null)).toBe('–');
    expect(describeHistoryValue(nl, 'nl', 'withdrawal', '01J0000000000000000000000.pdf', 'force_majeure_file')).toBe('Bestand');
    expect(describeHistoryValue(nl, 'nl', 'certificate', 'PRS-2026-7K3M9Q2D')).toBe('PRS-2026-7K3M9Q2D');
    expect(describeHistoryValue(nl, 'nl', 'status', 'toString')).toBe('toString');
    expect(describeHistoryValue(nl, 'nl', 'effort', 'constructor')).toBe('constructor');
  });

  it('names the field and, for attendance, the meeting', () => {
    expect(describeHistoryField(nl, 'nl', { field: 'effort', meeting_starts_at: null })).toBe('Inzet');
    expect(describeHistoryField(en, 'en', { field: 'attendance', meeting_starts_at: '2026-03-02T09:00:00.000Z' })).toBe('Attendance, meeting of 2 Mar 2026');
  });

  it('reads a change at several meetings: how many, the value they share, or each meeting by its date', () => {
    const change = meetingsChange('attendance', [
      { meetingId: 'M1', startsAt: '2026-03-02T09:00:00.000Z', oldValue: null, newValue: 'present' },
      { meetingId: 'M2', startsAt: '2026-03-09T09:00:00.000Z', oldValue: null, newValue: 'absent' },
      { meetingId: 'M3', startsAt: '2026-03-16T09:00:00.000Z', oldValue: null, newValue: 'present' },
    ]);
    const row = { ...change, meeting_id: null, note: null, meeting_starts_at: null };
    expect(describeHistoryField(nl, 'nl', row)).toBe('Aanwezigheid, 3 bijeenkomsten');
    expect(describeHistoryValues(nl, 'nl', row)).toEqual(['–', '2 mrt 2026: Aanwezig; 9 mrt 2026: Afwezig; 16 mrt 2026: Aanwezig']);
    const points = meetingsChange('points', [
      { meetingId: 'M1', startsAt: '2026-03-02T09:00:00.000Z', oldValue: '0', newValue: '1.5' },
      { meetingId: 'M2', startsAt: '2026-03-09T09:00:00.000Z', oldValue: '0', newValue: '1.5' },
    ]);
    expect(describeHistoryValues(en, 'en', { ...points, meeting_id: null, note: null, meeting_starts_at: null })).toEqual(['0', '1.5']);
    // Two meetings on one day are told apart by their time.
    const sameDay = meetingsChange('attendance', [
      { meetingId: 'M1', startsAt: '2026-03-02T08:00:00.000Z', oldValue: null, newValue: 'present' },
      { meetingId: 'M2', startsAt: '2026-03-02T12:00:00.000Z', oldValue: null, newValue: 'absent' },
    ]);
    expect(describeHistoryValues(en, 'en', { ...sameDay, note: null, meeting_starts_at: null })[1]).toBe(
      `${formatDate('en', '2026-03-02T08:00:00.000Z', true)}: Present; ${formatDate('en', '2026-03-02T12:00:00.000Z', true)}: Absent`,
    );
    expect(formatDate('en', '2026-03-02T08:00:00.000Z', true)).not.toBe(formatDate('en', '2026-03-02T12:00:00.000Z', true));
    // A row of one meeting reads as before.
    const one = { ...meetingsChange('attendance', [{ meetingId: 'M1', startsAt: '2026-03-02T09:00:00.000Z', oldValue: 'absent', newValue: 'present' }]), note: null, meeting_starts_at: '2026-03-02T09:00:00.000Z' };
    expect(one.meeting_id).toBe('M1');
    expect(describeHistoryField(en, 'en', one)).toBe('Attendance, meeting of 2 Mar 2026');
    expect(describeHistoryValues(en, 'en', one)).toEqual(['Absent', 'Present']);
  });
});

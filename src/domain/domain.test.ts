import { describe, expect, it } from 'vitest';
import { attendanceRate, isAttendanceChange, isOverwrite } from './attendance.ts';
import { certificateNumber, verificationCode } from './certificate.ts';
import { addDays, brusselsDate, daysBetween } from './dates.ts';
import { creditPoints } from './study-points.ts';
import { canChangeStatus, canSetStatus, isOpen, TEACHER_STATUSES } from './study-status.ts';
import { sniffProofType } from './upload.ts';
import { proposeWithdrawnStatus, validWithdrawalNeedsProof, WITHDRAWAL_NOTICE_DAYS } from './withdrawal.ts';

describe('study statuses (R1, R8)', () => {
  it('gives teachers exactly the five statuses of the guide', () => {
    expect(TEACHER_STATUSES).toEqual(['completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid']);
    expect(canSetStatus(['teacher'], 'exempted')).toBe(false);
    expect(canSetStatus(['teacher'], 'archived')).toBe(false);
    expect(canSetStatus(['teacher'], 'started')).toBe(false);
    expect(canSetStatus(['participant'], 'completed')).toBe(false);
  });
  it('lets administrators set admin-only and teacher statuses but not system statuses', () => {
    expect(canSetStatus(['admin'], 'exempted')).toBe(true);
    expect(canSetStatus(['admin'], 'completed')).toBe(true);
    expect(canSetStatus(['admin'], 'term_expired')).toBe(false);
  });
  it('keeps final statuses set by others out of a teacher\'s reach', () => {
    expect(canChangeStatus(['teacher'], 'enrolled', 'completed')).toBe(true);
    expect(canChangeStatus(['teacher'], 'completed', 'failed')).toBe(true);
    expect(canChangeStatus(['teacher'], 'exempted', 'completed')).toBe(false);
    expect(canChangeStatus(['teacher'], 'cancelled', 'completed')).toBe(false);
    expect(canChangeStatus(['admin'], 'exempted', 'completed')).toBe(true);
    expect(isOpen('run_choice_required')).toBe(true);
    expect(isOpen('completed')).toBe(false);
  });
});

describe('the 15-day rule (R4)', () => {
  it('proposes the valid status from 15 days before the start on', () => {
    expect(WITHDRAWAL_NOTICE_DAYS).toBe(15);
    expect(proposeWithdrawnStatus('2026-03-01', '2026-03-16')).toBe('withdrawn_valid');
    expect(proposeWithdrawnStatus('2026-03-02', '2026-03-16')).toBe('withdrawn_invalid');
    expect(validWithdrawalNeedsProof('2026-03-02', '2026-03-16')).toBe(true);
    expect(validWithdrawalNeedsProof('2026-02-01', '2026-03-16')).toBe(false);
  });
  it('counts calendar days across daylight-saving changes', () => {
    expect(daysBetween('2026-03-20', '2026-04-04')).toBe(15);
    expect(addDays('2026-10-20', 15)).toBe('2026-11-04');
    expect(brusselsDate('2026-06-30T22:30:00Z')).toBe('2026-07-01');
  });
});

describe('study points (R5)', () => {
  it('credits attended meetings up to the maximum', () => {
    const credits = creditPoints(3, 5, [{ meetingPoints: 1.5, present: true }, { meetingPoints: 1.5, present: false }, { meetingPoints: 1.5, present: true }], false);
    expect(credits.map((c) => c.points)).toEqual([1.5, 0, 0.5]);
    expect(credits.some((c) => c.overridden)).toBe(false);
  });
  it('goes beyond the maximum only when told, and marks where it did', () => {
    const credits = creditPoints(4, 5, [{ meetingPoints: 2, present: true }], true);
    expect(credits).toEqual([{ points: 2, overridden: true }]);
  });
  it('never credits a negative amount when already over the maximum', () => {
    expect(creditPoints(7, 5, [{ meetingPoints: 2, present: true }], false)).toEqual([{ points: 0, overridden: false }]);
  });
});

describe('attendance (R7)', () => {
  it('sees an overwrite only where a recorded value would change', () => {
    expect(isOverwrite(undefined, false)).toBe(false);
    expect(isOverwrite({ present: true, reportedAbsent: false }, false)).toBe(true);
    expect(isOverwrite({ present: true, reportedAbsent: false }, true)).toBe(false);
    expect(isOverwrite({ present: null, reportedAbsent: true }, true)).toBe(true);
    expect(isOverwrite({ present: null, reportedAbsent: true }, false)).toBe(false);
    expect(isAttendanceChange({ present: false, reportedAbsent: false }, false)).toBe(false);
    expect(isAttendanceChange(undefined, false)).toBe(true);
  });
  it('computes the attendance rate over meetings held', () => {
    expect(attendanceRate(2, 4)).toBe(0.5);
    expect(attendanceRate(0, 0)).toBeNull();
  });
});

describe('certificates (R3) and uploads', () => {
  it('makes unambiguous numbers and codes', () => {
    expect(certificateNumber('2026-11-29')).toMatch(/^PRS-2026-[0-9A-HJKMNP-TV-Z]{8}$/);
    const codes = new Set(Array.from({ length: 1000 }, () => verificationCode()));
    expect(codes.size).toBe(1000);
  });
  it('sniffs proof files by content, not by name', () => {
    expect(sniffProofType(new TextEncoder().encode('%PDF-1.7 ...'))?.type).toBe('application/pdf');
    expect(sniffProofType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))?.type).toBe('image/jpeg');
    expect(sniffProofType(new TextEncoder().encode('<html><script>'))).toBeUndefined();
  });
});

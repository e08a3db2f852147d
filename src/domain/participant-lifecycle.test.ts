import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_PACKAGE_FILES, MAX_UNPACKED_BYTES, isSafePackagePath, readModulePackage } from './elearning-package.ts';
import { renderKnowledgeCentre } from './knowledge-centre-html.ts';
import {
  planAbsenceReport,
  planAbsenceTakeBack,
  planCourseStart,
  planProgrammeEnrolment,
  planRunChoice,
  planSelfWithdrawal,
  planWithdrawalOnBehalf,
} from './participant-lifecycle.ts';

describe('planCourseStart', () => {
  it('starts a classroom course from its knowledge centre and an e-learning course from its module, once', () => {
    expect(planCourseStart({ status: 'enrolled', courseKind: 'classroom' }, 'knowledge_centre')).toEqual({ from: 'enrolled', to: 'started' });
    expect(planCourseStart({ status: 'not_started', courseKind: 'elearning' }, 'elearning')).toEqual({ from: 'not_started', to: 'started' });
    expect(planCourseStart({ status: 'started', courseKind: 'classroom' }, 'knowledge_centre')).toBeNull();
    expect(planCourseStart({ status: 'not_started', courseKind: 'elearning' }, 'knowledge_centre')).toBeNull();
    expect(planCourseStart({ status: 'run_choice_required', courseKind: 'classroom' }, 'knowledge_centre')).toBeNull();
  });

  it('never touches a final status (R8)', () => {
    for (const status of ['completed', 'failed', 'absent', 'withdrawn_valid', 'cancelled', 'term_expired', 'archived', 'exempted'] as const) {
      expect(planCourseStart({ status, courseKind: 'classroom' }, 'knowledge_centre')).toBeNull();
      expect(planCourseStart({ status, courseKind: 'elearning' }, 'elearning')).toBeNull();
    }
  });
});

describe('run choice and programmes', () => {
  const run = { courseId: 'c', startsOn: '2026-12-20', cancelled: false };
  const places = (taken: number, waiting: string[] = []) => ({ capacity: 2, taken, waiting });
  it('refuses a choice that is not needed, of another course, of a started or cancelled run, or of a full one', () => {
    const state = { status: 'run_choice_required' as const, courseId: 'c', run, places: places(1) };
    expect(planRunChoice(state, '2026-12-01')).toEqual({ ok: true, value: { from: 'run_choice_required', to: 'enrolled' } });
    expect(planRunChoice({ ...state, status: 'enrolled' }, '2026-12-01')).toEqual({ ok: false, reason: 'run_choice_not_required' });
    expect(planRunChoice({ ...state, courseId: 'd' }, '2026-12-01')).toEqual({ ok: false, reason: 'run_not_of_course' });
    expect(planRunChoice(state, '2026-12-20')).toEqual({ ok: false, reason: 'run_not_open' });
    expect(planRunChoice({ ...state, run: { ...run, cancelled: true } }, '2026-12-01')).toEqual({ ok: false, reason: 'run_not_open' });
    expect(planRunChoice({ ...state, places: places(2) }, '2026-12-01')).toEqual({ ok: false, reason: 'run_full' });
    expect(planRunChoice({ ...state, places: { capacity: null, taken: 10_000, waiting: [] } }, '2026-12-01')).toEqual({
      ok: true,
      value: { from: 'run_choice_required', to: 'enrolled' },
    });
  });
  it('counts places the way administrators place people: the waiting list comes first', () => {
    const state = { status: 'run_choice_required' as const, courseId: 'c', run, places: places(1, ['someone-waiting']) };
    expect(planRunChoice(state, '2026-12-01')).toEqual({ ok: false, reason: 'run_full' });
  });
  it('enrols per course of a programme, skipping courses already followed; a full only run asks for a choice', () => {
    const plan = planProgrammeEnrolment(
      [
        { courseId: 'a', kind: 'classroom', openRuns: [{ id: 'r1', places: places(0) }] },
        { courseId: 'b', kind: 'classroom', openRuns: [{ id: 'r2' }, { id: 'r3' }] },
        { courseId: 'c', kind: 'exam', openRuns: [] },
        { courseId: 'd', kind: 'elearning', openRuns: [] },
        { courseId: 'e', kind: 'classroom', openRuns: [{ id: 'r4', places: places(0) }] },
        { courseId: 'f', kind: 'classroom', openRuns: [{ id: 'r5', places: places(1, ['someone-waiting']) }] },
      ],
      new Set(['e']),
    );
    expect(plan).toEqual([
      { courseId: 'a', runId: 'r1', status: 'enrolled' },
      { courseId: 'b', runId: null, status: 'run_choice_required' },
      { courseId: 'c', runId: null, status: 'run_choice_required' },
      { courseId: 'd', runId: null, status: 'not_started' },
      { courseId: 'f', runId: null, status: 'run_choice_required' },
    ]);
  });
});

describe('withdrawal and absences', () => {
  it('lets a participant withdraw once, before the run starts, from an open status', () => {
    const state = { status: 'enrolled' as const, runStartsOn: '2026-12-20', withdrawnOn: null };
    expect(planSelfWithdrawal(state, '2026-12-01')).toEqual({ ok: true, value: { withdrawnOn: '2026-12-01' } });
    expect(planSelfWithdrawal(state, '2026-12-20')).toEqual({ ok: false, reason: 'withdraw_run_started' });
    expect(planSelfWithdrawal({ ...state, withdrawnOn: '2026-11-30' }, '2026-12-01')).toEqual({ ok: false, reason: 'withdraw_already' });
    expect(planSelfWithdrawal({ ...state, runStartsOn: null }, '2026-12-01')).toEqual({ ok: false, reason: 'withdraw_no_run' });
    expect(planSelfWithdrawal({ ...state, status: 'completed' }, '2026-12-01')).toEqual({ ok: false, reason: 'withdraw_not_open' });
  });
  it('withdraws on behalf only with proof, as Uitgeschreven met geldige reden', () => {
    expect(planWithdrawalOnBehalf({ status: 'started', withdrawnOn: null }, { withdrawnOn: '2026-12-01', hasProof: false })).toEqual({ ok: false, reason: 'withdraw_proof_required' });
    expect(planWithdrawalOnBehalf({ status: 'started', withdrawnOn: null }, { withdrawnOn: '2026-12-01', hasProof: true })).toEqual({
      ok: true,
      value: { withdrawnOn: '2026-12-01', change: { from: 'started', to: 'withdrawn_valid' } },
    });
  });
  it('reports an absence with a reason before the meeting starts, and takes it back until then', () => {
    const state = { status: 'enrolled' as const, meetingStartsAt: '2026-12-10T08:00:00.000Z', registered: false };
    expect(planAbsenceReport(state, { reason: ' Ziek ' }, '2026-12-10T07:59:59.000Z')).toEqual({ ok: true, value: { reason: 'Ziek' } });
    expect(planAbsenceReport(state, { reason: 'Ziek' }, '2026-12-10T08:00:00.000Z')).toEqual({ ok: false, reason: 'absence_meeting_started' });
    expect(planAbsenceReport(state, { reason: ' ' }, '2026-12-01T00:00:00.000Z')).toEqual({ ok: false, reason: 'absence_reason_required' });
    expect(planAbsenceReport({ ...state, registered: true }, { reason: 'x' }, '2026-12-01T00:00:00.000Z')).toEqual({ ok: false, reason: 'absence_already_registered' });
    expect(planAbsenceReport({ ...state, status: 'exempted' }, { reason: 'x' }, '2026-12-01T00:00:00.000Z')).toEqual({ ok: false, reason: 'absence_not_open' });
    const reported = { meetingStartsAt: state.meetingStartsAt, reported: true, registered: false };
    expect(planAbsenceTakeBack(reported, '2026-12-01T00:00:00.000Z')).toEqual({ ok: true, value: null });
    expect(planAbsenceTakeBack(reported, '2026-12-10T08:00:00.000Z')).toEqual({ ok: false, reason: 'absence_meeting_started' });
    expect(planAbsenceTakeBack({ ...reported, reported: false }, '2026-12-01T00:00:00.000Z')).toEqual({ ok: false, reason: 'absence_not_reported' });
  });
});

describe('knowledge centre Markdown', () => {
  it('keeps text structure and safe links, and drops scripts, handlers and javascript: links', () => {
    const html = renderKnowledgeCentre(
      '# Welkom\n\n**Lees** [de brochure](https://example.org/b) of [mail](mailto:a@b.be).\n\n[kwaad](javascript:alert(1)) <script>alert(1)</script><img src="https://x/y.png" onerror="alert(1)"><iframe src="https://evil"></iframe><a href="data:text/html,x">d</a>',
    );
    expect(html).toContain('<h3>Welkom</h3>');
    expect(html).toContain('<strong>Lees</strong>');
    expect(html).toContain('<a href="https://example.org/b" rel="noopener noreferrer">de brochure</a>');
    expect(html).toContain('href="mailto:a@b.be"');
    expect(html).toContain('<img src="https://x/y.png" />');
    for (const bad of ['<script', 'javascript:', 'onerror', '<iframe', 'data:text']) expect(html).not.toContain(bad);
  });
});

describe('e-learning package', () => {
  const page = strToU8('<!DOCTYPE html><title>x</title>');
  it('reads a package with its entry page at the root or in its one folder', () => {
    const root = readModulePackage(zipSync({ 'index.html': page, 'js/app.js': strToU8('1') }));
    expect(root.ok && { entry: root.value.entryPath, files: [...root.value.files.keys()].sort() }).toEqual({ entry: 'index.html', files: ['index.html', 'js/app.js'] });
    const nested = readModulePackage(zipSync({ 'module/index.html': page, 'module/a.css': strToU8('') }));
    expect(nested.ok && nested.value.entryPath).toBe('module/index.html');
    expect(readModulePackage(zipSync({ 'a/index.html': page, 'b/x.html': page }))).toEqual({ ok: false, reason: 'package_no_entry' });
  });
  it('refuses zip slip, too many files, a size bomb, and what is not a zip', () => {
    expect(isSafePackagePath('a/b.html')).toBe(true);
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a\\..\\x', 'C:/x', 'a//b', './a']) expect(isSafePackagePath(bad), bad).toBe(false);
    expect(readModulePackage(zipSync({ 'index.html': page, '../../evil.js': strToU8('x') }))).toEqual({ ok: false, reason: 'package_unsafe_path' });
    const many: Record<string, Uint8Array> = { 'index.html': page };
    for (let i = 0; i < MAX_PACKAGE_FILES; i += 1) many[`f${i}.txt`] = strToU8('x');
    expect(readModulePackage(zipSync(many))).toEqual({ ok: false, reason: 'package_too_many_files' });
    // A bomb declares what it unpacks to: a zip whose central directory says 100 MB + 1 byte is
    // refused from that alone, before anything is inflated.
    const bomb = zipSync({ 'index.html': page, 'zeros.bin': new Uint8Array(1000) });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let at = 0; at < bomb.byteLength - 4; at += 1) {
      if (view.getUint32(at, true) === 0x02014b50 && at + 46 + 9 <= bomb.byteLength && new TextDecoder().decode(bomb.subarray(at + 46, at + 55)) === 'zeros.bin') {
        view.setUint32(at + 24, MAX_UNPACKED_BYTES + 1, true);
      }
    }
    expect(readModulePackage(bomb)).toEqual({ ok: false, reason: 'package_unpacks_too_large' });
    expect(readModulePackage(strToU8('PK\u0003\u0004 not really'))).toEqual({ ok: false, reason: 'package_not_zip' });
  });
});

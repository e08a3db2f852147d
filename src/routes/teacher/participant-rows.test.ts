import { html } from 'hono/html';
import { describe, expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import type { ParticipantRow } from '../../services/teacher-runs.ts';
import { withCharacterReferencesRead } from '../../testing/hostile.ts';
import { ActiveRow, InactiveRow, escapeHtml } from './participant-rows.ts';

const nl = messages('nl');

function row(overrides: Partial<ParticipantRow> = {}): ParticipantRow {
  return {
    enrolmentId: 'E1',
    userId: 'U1',
    name: `O'Brien & <Zoë> "Jr"`,
    email: 'x@example.test',
    status: 'enrolled',
    version: 3,
    effort: 'good',
    effortComment: 'a & b',
    attendance: ['present', 'absent', 'reported_absent', null],
    points: 1.5,
    rate: 0.5,
    withdrawnOn: null,
    proposedStatus: null,
    hasProof: false,
    certificateNumber: null,
    seen: 'enrolled;0a1b2c3d;P1.5,A0,R0,-',
    correction: null,
    ...overrides,
  };
}

const render = (props: Partial<Parameters<typeof ActiveRow>[0]> = {}) =>
  ActiveRow({ row: row(), entered: undefined, errors: undefined, statuses: ['completed', 'failed'], t: nl, locale: 'nl', today: '2026-03-20', ...props }).toString();

describe('participant rows written as HTML text', () => {
  it('escapes exactly as hono escapes', () => {
    const hostile = `<a href="x">'&'</a> Zoë`;
    expect(escapeHtml(hostile)).toBe(html`${hostile}`.toString());
  });

  it('writes each character beyond Latin-1 as a character reference, so that a page stays one byte per character', () => {
    const name = 'Łukasz Şahin – 👩🏽‍🏫 Zoë';
    expect(escapeHtml(name)).toBe('&#321;ukasz &#350;ahin &#8211; &#128105;&#127997;&#8205;&#127979; Zoë');
    expect(withCharacterReferencesRead(escapeHtml(`<${name}>`))).toBe(`&lt;${name}&gt;`);
    const out = render({ row: row({ name }) });
    expect(out).toContain('&#321;ukasz');
    expect([...out].filter((c) => c.charCodeAt(0) > 0xff)).toEqual([]);
  });

  it('escapes every value taken from data, in text and in attributes', () => {
    const out = render({ errors: ['<b>refused</b>'] });
    expect(out).not.toContain('<Zoë>');
    expect(out).not.toContain('<b>');
    expect(out).toContain('O&#39;Brien &amp; &lt;Zoë&gt; &quot;Jr&quot;');
    expect(out).toContain(`aria-label="${escapeHtml(nl.teacher.presentFor(row().name))}"`);
    expect(out).toContain('value="a &amp; b"');
  });

  it('shows what is recorded: status, attendance so far, rate and points', () => {
    const out = render();
    expect(out).toContain(`<span class="badge status-open">${nl.statuses.enrolled}</span>`);
    expect(out).toContain('<span aria-hidden="true">&#10003; &#10007; &#9675; ·</span>');
    expect(withCharacterReferencesRead(out)).toContain('<span aria-hidden="true">✓ ✗ ○ ·</span>');
    expect(out).toContain('<td class="num">50%</td><td class="num">1,5</td>');
    expect(out).toContain('<input type="hidden" name="version.E1" value="3"/>');
  });

  it('keeps what the teacher entered, and ties row errors to the inputs', () => {
    const out = render({
      entered: { present: true, status: 'failed', effort: 'excellent', comment: 'c', proofNote: 'seen', proofFileKey: '01ARZ3NDEKTSV4RRFFQ69G5FAV.pdf', withdrawnOn: '2026-03-01', reason: '', seen: '', resolutions: new Map() },
      errors: ['first', 'second'],
    });
    expect(out).toMatch(/^<tr class="row-error" id="row-E1">/);
    expect(out).toContain('data-group="present" checked=""');
    expect(out).toContain('<option value="failed" selected="">');
    expect(out).toContain('<option value="excellent" selected="">');
    expect(out).toContain('<details class="proof" open="">');
    expect(out).toContain('name="withdrawnOn.E1" value="2026-03-01"/>');
    expect(out).toContain('<input type="hidden" name="seen.E1" value="enrolled;0a1b2c3d;P1.5,A0,R0,-"/>');
    expect(out).toContain('name="proofFileKey.E1" value="01ARZ3NDEKTSV4RRFFQ69G5FAV.pdf"');
    expect(out).toContain('<ul class="cell-error" id="row-error-E1"><li>first</li><li>second</li></ul>');
    expect(out.match(/aria-describedby="row-error-E1"/g)).toHaveLength(2);
  });

  it('leaves out what is not there', () => {
    const out = render();
    expect(out).toMatch(/^<tr id="row-E1">/);
    expect(out).not.toContain('checked');
    expect(out).not.toContain('aria-describedby');
    expect(out).not.toContain('proofFileKey');
    expect(out).toContain('<details class="proof"><summary>');
  });

  it('writes a row of someone who no longer takes part', () => {
    const out = InactiveRow({ row: row({ status: 'withdrawn_valid', withdrawnOn: '2026-03-02' }), t: nl, locale: 'nl', today: '2026-03-20', formId: 'f' }).toString();
    expect(out).toContain('<tr class="row-inactive" id="row-E1"><th scope="row">O&#39;Brien');
    expect(out).toContain('status-withdrawn');
    expect(out).toContain('2 mrt 2026');
    expect(out).not.toContain('Corrigeren');
    expect(out).not.toContain('name="row"');
  });

  it('offers "Corrigeren" to who may correct, its inputs tied to the participants form', () => {
    const correction = { targets: ['enrolled', 'completed', 'withdrawn_invalid'] as const, previous: 'enrolled' as const, needsReason: true };
    const out = InactiveRow({
      row: row({ status: 'withdrawn_valid', withdrawnOn: '2026-03-02', correction: { ...correction, targets: [...correction.targets] } }),
      t: nl,
      locale: 'nl',
      today: '2026-03-20',
      formId: 'participants-form',
    }).toString();
    expect(out).toContain('<summary>Corrigeren</summary>');
    expect(out).toContain('<input type="hidden" name="row" value="E1" form="participants-form"/>');
    expect(out).toContain('<option value="enrolled">Terug naar Ingeschreven</option>');
    expect(out).toContain('name="reason.E1" value="" maxlength="1000" form="participants-form"');
    expect(out).toContain('name="withdrawnOn.E1" value="2026-03-02"');
  });
});

describe('absences reported in advance', () => {
  it('shows each reported absence with its meeting and reason, escaped', () => {
    const out = String(render({ row: row({ absenceReports: [{ meeting: 2, reason: 'Tandarts <b>' }] }) }));
    expect(out).toContain(escapeHtml(nl.participantActions.teacherReported(2, 'Tandarts <b>')));
    expect(out).not.toContain('Tandarts <b>');
  });
});

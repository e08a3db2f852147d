import { describe, expect, it } from 'vitest';
import { parseScopes, planToken, scopeAllows, tokenUnusable } from './api-tokens.ts';

describe('API token rules', () => {
  const today = '2026-12-02';
  const teacher = { id: 't', roles: ['teacher'] as const };

  it('accepts a name, known scopes and a last day within a year; the token ends with that day', () => {
    expect(planToken({ name: ' HR ', scopes: ['read', 'write', 'root'], expiresOn: '2027-06-30', owner: null }, today)).toEqual({ ok: true, name: 'HR', scopes: ['read', 'write'], expiresAt: '2027-06-30T23:59:59.999Z' });
  });

  it('refuses each problem by field', () => {
    expect(planToken({ name: '', scopes: [], expiresOn: '2026-02-30', owner: null }, today)).toEqual({ ok: false, problems: { name: 'name_required', scopes: 'scopes_required', expiresOn: 'invalid_date' } });
    expect(planToken({ name: 'x', scopes: ['read'], expiresOn: '2026-12-01', owner: null }, today)).toMatchObject({ problems: { expiresOn: 'date_past' } });
    expect(planToken({ name: 'x', scopes: ['read'], expiresOn: '2028-01-01', owner: null }, today)).toMatchObject({ problems: { expiresOn: 'date_too_far' } });
    expect(planToken({ name: 'x', scopes: ['read'], expiresOn: today, owner: { id: 'p', roles: ['participant'] } }, today)).toMatchObject({ problems: { owner: 'owner_not_teacher' } });
    expect(planToken({ name: 'x', scopes: ['admin'], expiresOn: today, owner: teacher }, today)).toMatchObject({ problems: { scopes: 'admin_scope_needs_admin' } });
  });

  it('lets admin allow everything and write allow reading', () => {
    expect(scopeAllows(['read'], 'read')).toBe(true);
    expect(scopeAllows(['read'], 'write')).toBe(false);
    expect(scopeAllows(['write'], 'read')).toBe(true);
    expect(scopeAllows(['write'], 'admin')).toBe(false);
    expect(scopeAllows(['admin'], 'write')).toBe(true);
    expect(parseScopes('write bogus read')).toEqual(['read', 'write']);
  });

  it('stops a revoked or expired token, and one whose owner can no longer sign in', () => {
    const now = '2026-12-02T10:00:00.000Z';
    const owner = { deactivated_at: null, anonymised_at: null };
    expect(tokenUnusable({ expires_at: '2026-12-03T00:00:00.000Z', revoked_at: null }, owner, now)).toBeNull();
    expect(tokenUnusable({ expires_at: '2026-12-03T00:00:00.000Z', revoked_at: now }, owner, now)).toBe('revoked');
    expect(tokenUnusable({ expires_at: now, revoked_at: null }, owner, now)).toBe('expired');
    expect(tokenUnusable({ expires_at: '2026-12-03T00:00:00.000Z', revoked_at: null }, { ...owner, deactivated_at: now }, now)).toBe('owner_inactive');
  });
});

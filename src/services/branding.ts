import { createHash } from 'node:crypto';
import { nowIso, type Db } from '../db/index.ts';
import { NO_BRANDING, planBranding, type Branding, type BrandingField, type BrandingForm, type BrandingRefusal, type LogoType } from '../domain/branding.ts';
import { getBranding, saveBranding } from '../repositories/branding.ts';
import type { Actor } from './actor.ts';
import { inTransaction, recordCatalogChange, requireAdmin } from './admin-access.ts';

/** The look the documents carry: the organisation's name (or the product's), signatory and logo. */
export interface DocumentBranding {
  /** The name printed at the top of every document. */
  name: string;
  signatoryName: string | null;
  signatoryTitle: string | null;
  logo: { type: LogoType; bytes: Buffer; version: string } | null;
}

/**
 * The look for documents: what an administrator set, falling back to `productName` for the name
 * (and no signatory or logo) when nothing is set.
 */
export async function getDocumentBranding(db: Db, productName: string): Promise<DocumentBranding> {
  return toDocumentBranding((await getBranding(db)) ?? NO_BRANDING, productName);
}

/** The stored logo, with its content's version, or null when there is none. */
export async function getOrganisationLogo(db: Db): Promise<DocumentBranding['logo']> {
  const stored = await getBranding(db);
  return stored ? toDocumentBranding(stored, '').logo : null;
}

export function toDocumentBranding(b: Branding, productName: string): DocumentBranding {
  const bytes = b.logoBase64 && b.logoType ? Buffer.from(b.logoBase64, 'base64') : null;
  return {
    name: b.name ?? productName,
    signatoryName: b.signatoryName,
    signatoryTitle: b.signatoryTitle,
    // The version names the logo's content, so an address with it can be cached for good.
    logo: bytes && b.logoType ? { type: b.logoType, bytes, version: createHash('sha256').update(bytes).digest('base64url').slice(0, 16) } : null,
  };
}

/** The stored look for the administrators' form. */
export async function getBrandingForAdmin(db: Db, actor: Actor): Promise<Branding> {
  requireAdmin(actor);
  return (await getBranding(db)) ?? NO_BRANDING;
}

/** What the history records of a look: the texts, and of a logo only its type and size. */
function historyValue(b: Branding): string {
  const logo = b.logoType && b.logoBase64 ? { type: b.logoType, bytes: Buffer.byteLength(b.logoBase64, 'base64') } : null;
  return JSON.stringify({ name: b.name, signatoryName: b.signatoryName, signatoryTitle: b.signatoryTitle, logo });
}

export type BrandingSaved = { ok: true; changed: boolean } | { ok: false; errors: Partial<Record<BrandingField, BrandingRefusal>> };

/**
 * An administrator sets the organisation's name, signatory and logo: checked (the logo by its
 * content), saved with a history row (who, when, old and new, field `organisation`) in one
 * transaction; a form that changes nothing writes nothing.
 */
export async function saveOrganisationBranding(db: Db, actor: Actor, form: BrandingForm, now: Date = new Date()): Promise<BrandingSaved> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    const current = (await getBranding(trx)) ?? NO_BRANDING;
    const plan = planBranding(current, form);
    if (!plan.ok) return plan;
    if (!plan.changed) return { ok: true, changed: false };
    await saveBranding(trx, plan.branding, actor.id, nowIso(now));
    await recordCatalogChange(trx, actor, { field: 'organisation', old: historyValue(current), new: historyValue(plan.branding), note: null }, now);
    return { ok: true, changed: true };
  });
}

import type { Db } from '../db/index.ts';
import type { Branding } from '../domain/branding.ts';

/** The id of the one row of `organisation_branding`. */
const ROW_ID = 'organisation';

/** The organisation's stored look, or undefined when an administrator never set it. */
export async function getBranding(db: Db): Promise<Branding | undefined> {
  const row = await db
    .selectFrom('organisation_branding')
    .select(['name', 'signatory_name', 'signatory_title', 'logo_type', 'logo_base64'])
    .where('id', '=', ROW_ID)
    .executeTakeFirst();
  return row && { name: row.name, signatoryName: row.signatory_name, signatoryTitle: row.signatory_title, logoType: row.logo_type, logoBase64: row.logo_base64 };
}

export async function saveBranding(db: Db, branding: Branding, by: string, at: string): Promise<void> {
  const values = {
    name: branding.name,
    signatory_name: branding.signatoryName,
    signatory_title: branding.signatoryTitle,
    logo_type: branding.logoType,
    logo_base64: branding.logoBase64,
    updated_at: at,
    updated_by: by,
  };
  await db
    .insertInto('organisation_branding')
    .values({ id: ROW_ID, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

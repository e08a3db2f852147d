import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, makeUser } from '../testing/factories.ts';
import { getDocumentBranding, saveOrganisationBranding } from './branding.ts';

const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>');

describeEachDatabase('organisation branding', (store) => {
  const db = () => store().db;

  it('falls back to the product’s name; an administrator’s save is stored with a history row, and a refusal writes nothing', async () => {
    expect(await getDocumentBranding(db(), 'Presentia')).toEqual({ name: 'Presentia', signatoryName: null, signatoryTitle: null, logo: null });
    const admin = actorOf(await makeUser(db(), ['admin']));
    const form = { name: 'Opleidingscentrum Vlaanderen', signatoryName: 'An De Smet', signatoryTitle: 'Directeur', removeLogo: false, logo: SVG };
    expect(await saveOrganisationBranding(db(), admin, form, new Date('2026-12-01T10:00:00Z'))).toEqual({ ok: true, changed: true });
    const branding = await getDocumentBranding(db(), 'Presentia');
    expect(branding).toMatchObject({ name: 'Opleidingscentrum Vlaanderen', signatoryName: 'An De Smet', signatoryTitle: 'Directeur', logo: { type: 'image/svg+xml' } });
    expect(branding.logo!.bytes.equals(Buffer.from(SVG))).toBe(true);

    const history = await db().selectFrom('history').selectAll().where('field', '=', 'organisation').execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ actor_id: admin.id, user_id: admin.id, source: 'admin', at: '2026-12-01T10:00:00.000Z' });
    expect(JSON.parse(history[0]!.new_value!)).toEqual({ name: 'Opleidingscentrum Vlaanderen', signatoryName: 'An De Smet', signatoryTitle: 'Directeur', logo: { type: 'image/svg+xml', bytes: SVG.byteLength } });

    // The same values again change nothing and record nothing.
    expect(await saveOrganisationBranding(db(), admin, { ...form, logo: undefined })).toEqual({ ok: true, changed: false });
    const refused = await saveOrganisationBranding(db(), admin, { ...form, name: 'Ander', logo: new TextEncoder().encode('<svg onload="alert(1)"></svg>') });
    expect(refused).toEqual({ ok: false, errors: { logo: 'logo_unsafe' } });
    expect((await getDocumentBranding(db(), 'Presentia')).name).toBe('Opleidingscentrum Vlaanderen');
    expect(await db().selectFrom('history').select('id').where('field', '=', 'organisation').execute()).toHaveLength(1);

    const teacher = actorOf(await makeUser(db(), ['teacher']));
    await expect(saveOrganisationBranding(db(), teacher, form)).rejects.toThrow(NotFoundOrNoAccess);
  });
});

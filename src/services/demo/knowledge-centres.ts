import type { KnowledgeCentresTable } from '../../db/schema.ts';
import type { DemoRows } from './builder.ts';

/** What each demo course's knowledge centre says (Markdown), by course code. */
const TEXTS: Record<string, string> = {
  'EHBO-101': `## Welkom bij Eerste hulp op de werkvloer

Voor de eerste bijeenkomst:

- lees de **brochure** over de vier stappen van eerste hulp;
- breng comfortabele kledij mee voor de praktijkoefeningen.

Meer over reanimatie vind je bij het [Rode Kruis](https://www.rodekruis.be/).`,
  'BRAND-110': `## Brandpreventie

Bekijk vooraf het evacuatieplan van je eigen gebouw. Tijdens de opleiding oefenen we met echte
blusmiddelen: draag stevige schoenen.

| Blusmiddel | Geschikt voor |
|---|---|
| Water | vaste stoffen |
| Schuim | vloeistoffen |
| CO₂ | elektrische toestellen |`,
  'TIME-120': `## Time management

Houd een week lang bij waaraan je je tijd besteedt; we vertrekken in de opleiding van dat overzicht.`,
  'EXCEL-210': `## Excel voor gevorderden

Installeer vooraf de laatste versie van Excel en download de oefenbestanden bij de eerste bijeenkomst.`,
  'CHEM-130': `## Veilig werken met chemische stoffen

De e-learning duurt ongeveer twee uur en kan in delen gevolgd worden.`,
  'VCA-150': `## Examen VCA Basisveiligheid

Breng je identiteitskaart mee. Het examen telt 40 meerkeuzevragen.`,
};

/** The demo's knowledge centres: a text for every course that has one, written by head office. */
export function demoKnowledgeCentres(rows: DemoRows): KnowledgeCentresTable[] {
  const adminId = rows.users.find((u) => u.roles.includes('admin'))?.id ?? null;
  return rows.courses
    .filter((c) => TEXTS[c.code] !== undefined)
    .map((c) => ({ course_id: c.id, body_markdown: TEXTS[c.code]!, updated_at: c.created_at, updated_by: adminId }));
}

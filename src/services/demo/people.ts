import type { Role } from '../../db/schema.ts';

/** The people of the demo organisation: fixed names, so every demo database looks the same. */

export interface DemoPerson {
  name: string;
  email: string;
  roles: Role[];
}

export const DEMO_DOMAIN = 'presentia.test';

export const ADMINISTRATOR: DemoPerson = { name: 'Karin Vervoort', email: `beheerder@${DEMO_DOMAIN}`, roles: ['admin'] };
export const TEACHER: DemoPerson = { name: 'Annelies Vandamme', email: `docent@${DEMO_DOMAIN}`, roles: ['teacher'] };
export const SECOND_TEACHER: DemoPerson = { name: 'Koen Verhaegen', email: `docent2@${DEMO_DOMAIN}`, roles: ['teacher'] };

/** The participant whose account the README names; the first of `PARTICIPANT_NAMES`. */
export const DEMO_PARTICIPANT_EMAIL = `deelnemer@${DEMO_DOMAIN}`;

/** Forty participants with common Flemish names. The first one signs in as `deelnemer@`. */
export const PARTICIPANT_NAMES: readonly string[] = [
  'Sofie Janssens',
  'Lucas Peeters',
  'Emma Maes',
  'Arthur Jacobs',
  'Louise Mertens',
  'Noah Willems',
  'Marie Claes',
  'Jules Goossens',
  'Elise Wouters',
  'Finn De Smet',
  'Lotte Dubois',
  'Mathis Lambrechts',
  'Nina Dupont',
  'Victor Vermeulen',
  'Julie Van den Broeck',
  'Lars Hermans',
  'Hanne Aerts',
  'Thomas De Clercq',
  'Fien Martens',
  'Stijn Pauwels',
  'Ines Verstraeten',
  'Wout Coppens',
  'Jana Cools',
  'Pieter Smets',
  'Lien Michiels',
  'Bram Van Damme',
  'Charlotte Leclercq',
  'Seppe Verhoeven',
  'Amber Claeys',
  'Robbe Van de Velde',
  'Eline Segers',
  'Jasper Geerts',
  'Margot Wuyts',
  'Kobe Van Dyck',
  'Laura Bogaert',
  'Tibo Verbeke',
  'Febe Desmet',
  'Jonas Vandenberghe',
  'Anouk De Wilde',
  'Milan Van Laere',
];

/** `Julie Van den Broeck` → `julie.vandenbroeck@presentia.test` (accents dropped, spaces removed). */
export function emailFor(name: string): string {
  const [first = '', ...rest] = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(' ');
  return `${first}.${rest.join('')}@${DEMO_DOMAIN}`;
}

/** The forty participants, the first with the well-known demo address. */
export function demoParticipants(): DemoPerson[] {
  return PARTICIPANT_NAMES.map((name, i) => ({
    name,
    email: i === 0 ? DEMO_PARTICIPANT_EMAIL : emailFor(name),
    roles: ['participant'],
  }));
}

/** Dutch, the default language: the labels of the original teacher guide. */
export const nl = {
  lang: 'nl',
  product: 'Presentia',
  skipToContent: 'Naar de inhoud',
  layout: {
    signedInAs: 'Aangemeld als',
    logout: 'Afmelden',
    language: 'Taal',
    home: 'Startpagina',
    switchLanguage: 'Wijzigen',
    mainNav: 'Hoofdmenu',
  },
  languages: { nl: 'Nederlands', en: 'English' },
  login: {
    title: 'Aanmelden',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    submit: 'Aanmelden',
    invalid: 'Het e-mailadres of het wachtwoord is niet juist.',
    rateLimited: 'Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.',
    loggedOut: 'Je bent afgemeld.',
    emailRequired: 'Vul je e-mailadres in.',
    passwordRequired: 'Vul je wachtwoord in.',
  },
  home: {
    title: 'Startpagina',
    welcome: (name: string) => `Welkom, ${name}`,
    teacherTile: 'Mijn te geven opleidingen',
    teacherTileText: 'Aanwezigheden, studiestatussen en inzet van je deelnemers registreren.',
    participantTile: 'Mijn opleidingen',
    participantTileText: 'Je inschrijvingen, studiestatus, aanwezigheden, studiepunten en certificaten.',
    adminTile: 'Beheer',
    adminTileText: 'Opleidingen, uitvoeringen, inschrijvingen en geschiedenis.',
  },
  roles: { participant: 'Deelnemer', teacher: 'Docent', admin: 'Beheerder' },
  courseKinds: { classroom: 'Klassikaal', elearning: 'E-learning', exam: 'Examen' },
  statuses: {
    enrolled: 'Ingeschreven',
    not_started: 'Niet gestart',
    started: 'Gestart',
    run_choice_required: 'Uitvoeringskeuze vereist',
    completed: 'Voltooid',
    failed: 'Niet geslaagd',
    absent: 'Afwezig',
    withdrawn_invalid: 'Uitgeschreven zonder geldige reden',
    withdrawn_valid: 'Uitgeschreven met geldige reden',
    cancelled: 'Geannuleerd',
    term_expired: 'Studietermijn verstreken',
    archived: 'Gearchiveerd',
    exempted: 'Vrijgesteld',
  },
  efforts: { excellent: 'Uitstekend', good: 'Goed', sufficient: 'Voldoende', insufficient: 'Onvoldoende' },
  errors: {
    not_found_or_no_access: 'Deze pagina bestaat niet, of je hebt er geen toegang toe.',
    not_signed_in: 'Meld je aan om verder te gaan.',
    refused: 'Dit mag je niet doen.',
    conflict: 'Iemand anders heeft dit intussen gewijzigd.',
    invalid_input: 'Niet alle gegevens zijn juist ingevuld.',
    csrf: 'Je formulier is verlopen of komt niet van Presentia. Laad de pagina opnieuw en probeer het nog eens.',
    rate_limited: 'Te veel pogingen. Probeer het later opnieuw.',
    notFoundTitle: 'Pagina niet gevonden',
    serverErrorTitle: 'Er ging iets mis',
    serverError: 'Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het probleem, geef dan deze code door aan de helpdesk:',
    backHome: 'Terug naar de startpagina',
  },
  refusals: {
    admin_only_status: 'Deze studiestatus kan enkel een beheerder toekennen.',
    status_not_allowed: 'Deze studiestatus mag je niet toekennen.',
    final_status: 'Deze studiestatus werd door een beheerder of het systeem vastgelegd en kan je niet meer wijzigen.',
  },
  common: {
    save: 'Opslaan',
    cancel: 'Annuleren',
    back: 'Terug',
    none: 'Geen',
    yes: 'Ja',
    no: 'Nee',
    points: (n: string) => `${n} studiepunten`,
  },
};

/** The shape every language provides. */
export type Messages = Widen<typeof nl>;

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : { [K in keyof T]: Widen<T[K]> };

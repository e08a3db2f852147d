import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { newId, type Database, type Store } from '../db/index.ts';
import { messages } from '../i18n/index.ts';
import { hashPassword } from '../services/auth.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { createPasswordLink } from '../services/admin-users.ts';
import { stageImport } from '../services/csv-import.ts';
import { createWebhook } from '../services/webhooks.ts';
import { renewCalendarFeed } from '../services/calendar-feed.ts';
import { actorOf, enrol, makeCertificate, makeRun, makeUser } from '../testing/factories.ts';
import {
  encoding,
  expectNoRawMarkup,
  field,
  hostileForm,
  hostileSegment,
  hostileText,
  junkFields,
  mostly,
  pageText,
  sendForm,
  snapshotDatabase,
  wellFormed,
  type Field,
} from '../testing/hostile.ts';
import { TestBrowser, testApp } from '../testing/http.ts';
import { callApi, makeApiToken } from '../testing/api.ts';
import { PDF_BYTES, makeLifecycleFixture, modulePackage } from '../testing/lifecycle.ts';

/**
 * Hostile input on every route of the app, driven by its own route table: a state-changing route
 * without a case here, or a page without one, fails the first test. Each case sends random and
 * hostile values (markup, quotes, right-to-left text, emoji, NUL and control characters, huge
 * strings, numbers out of range, bad ids, fields missing, repeated or sent as files, unreadable
 * bodies) with a valid session and CSRF token, and checks: never a server error; a refusal says
 * why, in Dutch; and after a refusal the database is exactly as before.
 */
const nl = messages('nl');
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PASSWORD = 'juist-wachtwoord';
/** Stands for a value known only when the request is made (the current password, an enrolment's current version). */
const CURRENT = '\u0001current\u0001';

type Who = 'anonymous' | 'participant' | 'otherTeacher' | 'teacher' | 'admin';
const who = (weights: Partial<Record<Who, number>>): fc.Arbitrary<Who> =>
  fc.oneof(...Object.entries(weights).map(([w, weight]) => ({ arbitrary: fc.constant(w as Who), weight: weight! })));

interface Env {
  store: Store;
  db: Kysely<Database>;
  browser: (w: Who) => Promise<TestBrowser>;
  users: Record<Exclude<Who, 'anonymous'>, { id: string; email: string }>;
  run: { id: string; courseId: string; meetings: { id: string }[] };
  otherRun: { id: string; meetings: { id: string }[] };
  enrolmentIds: string[];
  otherEnrolmentId: string;
  certificateId: string;
  verificationCode: string;
  /** A participant anonymised before the test. */
  anonymisedId: string;
  programmeId: string;
  /** The participant's own course content, and enrolments their own actions apply to. */
  lifecycle: Awaited<ReturnType<typeof makeLifecycleFixture>>;
  /** A CSV file staged by the administrator. */
  importId: string;
  /** The token of the teacher's calendar feed address. */
  calendarToken: string;
  /** API tokens by kind, and a token's id for the revoke form. */
  tokens: Record<ApiCaller, string>;
  apiTokenId: string;
  webhookId: string;
}

type ApiCaller = 'teacherRead' | 'teacherWrite' | 'otherTeacherWrite' | 'admin';

/** One JSON API request: a token (or none), method, path, headers and a body (JSON or raw text). */
interface ApiAttempt {
  who: ApiCaller | 'none';
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

interface ApiCase<T> {
  numRuns: number;
  input: fc.Arbitrary<T>;
  attempt: (x: T) => ApiAttempt;
  /** Answers of an accepted request, which may write. Every other answer is a refusal and writes nothing. */
  accepted: readonly number[];
}

interface FormCase<T> {
  numRuns: number;
  input: fc.Arbitrary<T>;
  /** The browser, path and fields of one request; may prepare data first (before the snapshot). */
  attempt: (x: T) => Promise<{ browser: TestBrowser; path: string; fields: Field[] }>;
  /** Answers of an accepted request, which may write. Every other answer is a refusal. */
  accepted: readonly number[];
  /** A refusal shows one of these (Dutch) messages. */
  refusals: readonly string[];
  /** Tables a refusal writes to on purpose (the login form counts failed attempts: the rate limit). */
  mayWrite?: readonly string[];
  onAccepted?: (response: Response, x: T) => Promise<void>;
  /**
   * An answer that is neither a save nor a refusal (the confirmation step, and the way back from it):
   * it changes nothing but `mayWrite` (the confirmation keeps the files sent with it, staged) and
   * `check` says what it shows.
   */
  unsaved?: { status: number; mayWrite: readonly string[]; check: (html: string, x: T) => void };
}

interface PageCase<T> {
  numRuns: number;
  input: fc.Arbitrary<T>;
  attempt: (x: T) => Promise<{ browser: TestBrowser; path: string }>;
}

const ids = (known: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 4 }, { arbitrary: fc.constant(newId()), weight: 1 }, { arbitrary: hostileText, weight: 1 });
const segment = (known: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 4 }, { arbitrary: fc.constant(newId()), weight: 1 }, { arbitrary: hostileSegment, weight: 2 });
/** Fields sent half of the time, or one time in eight. */
const sometimes = (f: fc.Arbitrary<Field[]>) => fc.oneof(fc.constant<Field[]>([]), f);
const rarely = (f: fc.Arbitrary<Field[]>) => fc.oneof({ arbitrary: fc.constant<Field[]>([]), weight: 7 }, { arbitrary: f, weight: 1 });
/** A query string of the route's own parameters and some junk, each with hostile values. */
const query = (...names: string[]) =>
  fc
    .tuple(fc.subarray(names).chain((keys) => fc.tuple(...keys.map((k) => mostly(['1', '0', '2']).map((v) => [k, v] as [string, string])))), fc.array(fc.tuple(hostileText, hostileText), { maxLength: 2 }))
    .map(([own, junk]) => {
      const q = new URLSearchParams([...own, ...junk]).toString();
      return q ? `?${q}` : '';
    });

/** An administrator's catalogue form (also tried by a teacher and a participant, who must be told "not found"). */
function adminForm(env: Env, path: () => fc.Arbitrary<string>, form: fc.Arbitrary<Field[]>, refusals: readonly string[] = []): FormCase<{ who: Who; path: string; fields: Field[] }> {
  return {
    numRuns: 15,
    input: fc.record({ who: who({ admin: 6, teacher: 1, participant: 1 }), path: path(), fields: form }),
    attempt: async ({ who: w, path: p, fields }) => ({ browser: await env.browser(w), path: p, fields }),
    accepted: [303],
    refusals: [nl.views.errorSummaryTitle, nl.errors.not_found_or_no_access, ...[1, 2, 3].map((n) => nl.catalog.runs.deleteRefused(n)), ...refusals],
  };
}
const courseForm = hostileForm(
  field('title', mostly(['Brandpreventie', '<b>Ann</b> "cursus" 👩🏽‍🏫'])),
  field('code', mostly(['BP-1', 'bp-2', 'a b'])),
  field('kind', mostly(['classroom', 'elearning', 'exam'])),
  field('description', mostly(['', 'Blussen & evacueren'])),
  field('maxStudyPoints', mostly(['3', '1,5', '-1'])),
  field('studyTermDays', mostly(['', '90'])),
  field('studyTermEndsOn', mostly(['', '2027-06-30'])),
  field('knowledgeCentreUrl', mostly(['', '/kc/1', 'javascript:alert(1)'])),
  field('elearningUrl', mostly(['', 'https://leer.example/x'])),
);
const runForm = hostileForm(
  field('code', mostly(['R-NIEUW-1', 'r-nieuw-2'])),
  field('place', mostly(['Gent', 'Brugge'])),
  field('capacity', mostly(['', '12', '0'])),
  field('startsOn', mostly(['2026-01-05', '2026-03-01'])),
  field('endsOn', mostly(['2027-12-31', '2026-02-01'])),
);
const meetingForm = hostileForm(
  field('date', mostly(['2026-03-29', new Date().toISOString().slice(0, 10)])),
  field('startTime', mostly(['09:00', '25:00'])),
  field('endTime', mostly(['12:00', '08:00'])),
  field('place', mostly(['', 'Lokaal 2'])),
  field('studyPoints', mostly(['1', '0,5', '2000'])),
);
const programmeForm = hostileForm(field('title', mostly(['Traject'])), field('studyTermDays', mostly(['', '365'])), field('studyTermEndsOn', mostly(['', '2027-12-31'])), field('courses', mostly(['', 'ONBEKEND-1'])));

const FORM_CASES: Record<string, (env: Env) => FormCase<any>> = {
  'POST /admin/api-tokens': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: who({ admin: 6, teacher: 1, participant: 1 }),
      fields: hostileForm(
        field('name', mostly(['HR-systeem', '<b>Ann</b> 👩🏽‍🏫', ''])),
        field('scopes', mostly(['read', 'write', 'admin', 'root'])),
        field('expiresOn', mostly([new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), '2020-01-01', '2099-01-01'])),
        field('ownerEmail', mostly(['', env.users.teacher.email, env.users.participant.email, 'niemand@example.test'])),
      ),
    }),
    attempt: async ({ who: w, fields }) => ({ browser: await env.browser(w), path: '/admin/api-tokens', fields }),
    accepted: [200],
    refusals: [nl.views.errorSummaryTitle, nl.errors.not_found_or_no_access],
    // The page (already read by the test) shows the token; a token of this administrator now exists.
    onAccepted: async (_response, x) => {
      expect(x.who).toBe('admin');
      expect(await env.db.selectFrom('api_tokens').select('id').where('created_by', '=', env.users.admin.id).execute()).not.toEqual([]);
    },
  }),
  'POST /admin/webhooks': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: who({ admin: 6, teacher: 1, participant: 1 }),
      fields: hostileForm(
        field('url', mostly(['https://hooks.example.test/<b>x</b>?a="1"', 'http://127.0.0.1:9/hook', 'javascript:alert(1)', 'file:///etc/passwd', ''])),
        field('events', mostly(['certificate.issued', 'enrolment.status_changed', 'nonsense'])),
      ),
    }),
    attempt: async ({ who: w, fields }) => ({ browser: await env.browser(w), path: '/admin/webhooks', fields }),
    accepted: [200],
    refusals: [nl.views.errorSummaryTitle, nl.errors.not_found_or_no_access],
    // The page (already read by the test) shows the secret; a webhook of this administrator now exists, with an http(s) address.
    onAccepted: async (_response, x) => {
      expect(x.who).toBe('admin');
      const urls = await env.db.selectFrom('webhook_subscriptions').select('url').where('created_by', '=', env.users.admin.id).execute();
      expect(urls.every((u) => /^https?:\/\//.test(u.url))).toBe(true);
    },
  }),
  'POST /admin/webhooks/:id/deactivate': (env) => ({
    numRuns: 10,
    input: fc.record({ who: who({ admin: 4, teacher: 1 }), id: segment([env.webhookId]), fields: hostileForm(field('confirm', mostly(['1', '']))) }),
    attempt: async ({ who: w, id, fields }) => ({ browser: await env.browser(w), path: `/admin/webhooks/${id}/deactivate`, fields }),
    accepted: [200, 303],
    refusals: [nl.errors.not_found_or_no_access],
    onAccepted: async (_response, x) => expect(x.who).toBe('admin'),
  }),
  'POST /admin/webhooks/:id/delete': (env) => ({
    numRuns: 10,
    input: fc.record({ who: who({ admin: 4, teacher: 1 }), id: segment([env.webhookId]), fields: hostileForm(field('confirm', mostly(['1', '']))) }),
    attempt: async ({ who: w, id, fields }) => ({ browser: await env.browser(w), path: `/admin/webhooks/${id}/delete`, fields }),
    accepted: [200, 303],
    refusals: [nl.errors.not_found_or_no_access],
    onAccepted: async (_response, x) => expect(x.who).toBe('admin'),
  }),
  'POST /admin/api-tokens/:id/revoke': (env) => ({
    numRuns: 10,
    input: fc.record({ who: who({ admin: 4, teacher: 1 }), id: segment([env.apiTokenId]), fields: junkFields }),
    attempt: async ({ who: w, id, fields }) => ({ browser: await env.browser(w), path: `/admin/api-tokens/${id}/revoke`, fields }),
    accepted: [303],
    refusals: [nl.errors.not_found_or_no_access],
    onAccepted: async (_response, x) => expect(x.who).toBe('admin'),
  }),
  'POST /login': (env) => {
    const form = hostileForm(
      field('email', mostly([env.users.participant.email, env.users.participant.email.toUpperCase(), 'niemand@presentia.test'])),
      field('password', mostly([PASSWORD, 'fout'], 2)),
      field('next', mostly(['/', '/me/enrolments', '/verify?code=x y'], 1)),
    );
    return {
      numRuns: 25,
      input: fc.record({ fields: form, keepAttempts: fc.boolean() }),
      attempt: async ({ fields, keepAttempts }) => {
        // Forgotten most of the time, so that the rate limit does not answer every later request.
        if (!keepAttempts) await env.db.deleteFrom('login_attempts').execute();
        return { browser: await env.browser('anonymous'), path: '/login', fields };
      },
      accepted: [303],
      refusals: [nl.login.invalid, nl.login.rateLimited, nl.login.emailRequired, nl.login.passwordRequired],
      mayWrite: ['login_attempts'],
    };
  },
  'POST /admin/branding': (env) =>
    adminForm(
      env,
      () => fc.constant('/admin/branding'),
      hostileForm(
        field('name', mostly(['Opleidingscentrum <b>Vlaanderen</b>', ''])),
        field('signatoryName', mostly(['An "De" Smet 👩🏽‍🏫', ''])),
        field('signatoryTitle', mostly(['Directeur', 'مدير'])),
        field('removeLogo', mostly(['1', ''])),
      ),
      Object.values(nl.branding.errors),
    ),
  'POST /account/calendar': (env) => ({
    numRuns: 10,
    input: fc.record({ who: who({ participant: 3, anonymous: 1 }), fields: junkFields }),
    attempt: async ({ who: w, fields }) => ({ browser: await env.browser(w), path: '/account/calendar', fields }),
    accepted: [303],
    refusals: [],
    onAccepted: async (response) => {
      expect(response.headers.get('location')).toMatch(/^\/(account#calendar|login\?next=)/);
    },
  }),
  'POST /logout': (env) => ({
    numRuns: 10,
    input: fc.record({ who: who({ participant: 3, anonymous: 1 }), fields: junkFields }),
    // A fresh session each time: a logout ends all of the person's sessions.
    attempt: async ({ who: w, fields }) => ({ browser: await env.browser(w), path: '/logout', fields }),
    accepted: [303],
    refusals: [],
    onAccepted: async (response) => {
      expect(response.headers.get('location')).toBe('/login?loggedOut=1');
    },
  }),
  'POST /language': (env) => ({
    numRuns: 15,
    input: fc.record({ who: who({ participant: 3, anonymous: 1 }), fields: hostileForm(field('locale', mostly(['nl', 'en'])), field('next', mostly(['/', '/account'], 1))) }),
    attempt: async ({ who: w, fields }) => {
      // Dutch again, so that every refusal can be read in the default language.
      await env.db.updateTable('users').set({ locale: null }).where('id', '=', env.users.participant.id).execute();
      return { browser: await env.browser(w), path: '/language', fields };
    },
    accepted: [303],
    refusals: [],
    onAccepted: async () => {
      const { locale } = await env.db.selectFrom('users').select('locale').where('id', '=', env.users.participant.id).executeTakeFirstOrThrow();
      expect([null, 'nl', 'en']).toContain(locale);
    },
  }),
  'POST /account/password': (env) => {
    const newPassword = mostly(['een-nieuw-wachtwoord', '👩🏽‍🏫👩🏽‍🏫👩🏽‍🏫👩🏽‍🏫👩🏽‍🏫 مرحبا', env.users.participant.email], 2);
    return {
      numRuns: 20,
      input: fc.record({
        fields: hostileForm(field('current', mostly([CURRENT], 2)), field('new', newPassword), field('repeat', fc.oneof(newPassword, fc.constant(CURRENT)))),
      }),
      attempt: async ({ fields }) => {
        // Back to the known password, with no failed attempts, so every request gets past those.
        await env.db.deleteFrom('login_attempts').execute();
        await env.db.updateTable('users').set({ password_hash: await passwordHash() }).where('id', '=', env.users.participant.id).execute();
        const browser = await env.browser('participant');
        return { browser, path: '/account/password', fields: fields.map(([k, v]: Field): Field => [k, v === CURRENT ? PASSWORD : v]) };
      },
      accepted: [303],
      refusals: [...Object.values(nl.account.errors)],
      mayWrite: ['login_attempts'],
    };
  },
  'POST /admin/users/:id/anonymise': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: who({ admin: 6, teacher: 1, participant: 1 }),
      target: fc.oneof({ arbitrary: fc.constantFrom('victim', 'self', 'anonymised'), weight: 4 }, { arbitrary: fc.constant(newId()), weight: 1 }, { arbitrary: hostileSegment, weight: 1 }),
      fields: hostileForm(field('confirm', mostly(['1'], 4))),
    }),
    attempt: async ({ who: w, target, fields }) => {
      let id: string = target;
      if (target === 'victim') {
        const victim = await makeUser(env.db, ['participant'], `<b>Ann</b> "O'Neil" \u202Eevil\u202C مرحبا 👩🏽‍🏫`);
        await enrol(env.db, env.run, victim.id);
        id = victim.id;
      } else if (target === 'self') id = env.users.admin.id;
      else if (target === 'anonymised') id = env.anonymisedId;
      return { browser: await env.browser(w), path: `/admin/users/${id}/anonymise`, fields };
    },
    accepted: [303],
    refusals: [nl.adminUsers.confirmRequired, nl.adminUsers.alreadyAnonymised, nl.adminUsers.notYourself, nl.errors.not_found_or_no_access],
  }),
  'POST /admin/users/new': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: who({ admin: 6, teacher: 1 }),
      fields: hostileForm(
        field('email', mostly(['nieuw-<b>@example.test', 'geen-adres', '']).map((e) => (e.startsWith('nieuw') ? `nieuw-${newId().toLowerCase()}@example.test` : e))),
        field('name', mostly(['<b>Ann</b> "O\'Neil" 👩🏽‍🏫', ''])),
        fc.subarray(['participant', 'teacher', 'admin', 'koning']).map((roles): Field[] => roles.map((r) => ['roles', r])),
      ),
    }),
    attempt: async ({ who: w, fields }) => ({ browser: await env.browser(w), path: '/admin/users/new', fields }),
    accepted: [200],
    refusals: [...Object.values(nl.adminAccounts.problems), nl.errors.not_found_or_no_access],
  }),
  'POST /admin/users/:id': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: who({ admin: 6, teacher: 1 }),
      target: fc.oneof({ arbitrary: fc.constantFrom('victim', 'self', 'anonymised'), weight: 4 }, { arbitrary: hostileSegment, weight: 1 }),
      fields: hostileForm(
        field('email', mostly(['keep', 'geen-adres'])),
        field('name', mostly(['<b>Ann</b> "O\'Neil" 👩🏽‍🏫', ''])),
        fc.subarray(['participant', 'teacher', 'admin', 'koning']).map((roles): Field[] => roles.map((r) => ['roles', r])),
      ),
    }),
    attempt: async ({ who: w, target, fields }) => {
      let id: string = target;
      if (target === 'victim') id = (await makeUser(env.db, ['participant'])).id;
      else if (target === 'self') id = env.users.admin.id;
      else if (target === 'anonymised') id = env.anonymisedId;
      const email = (await env.db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirst())?.email ?? 'x@example.test';
      return { browser: await env.browser(w), path: `/admin/users/${id}`, fields: fields.map(([k, v]: Field): Field => [k, v === 'keep' ? email : v]) };
    },
    accepted: [303],
    refusals: [...Object.values(nl.adminAccounts.problems), ...Object.values(nl.adminAccounts.refusals), nl.errors.not_found_or_no_access],
  }),
  ...Object.fromEntries(
    (['deactivate', 'reactivate', 'password-link'] as const).map((action) => [
      `POST /admin/users/:id/${action}`,
      (env: Env): FormCase<any> => ({
        numRuns: 10,
        input: fc.record({
          who: who({ admin: 6, teacher: 1 }),
          target: fc.oneof({ arbitrary: fc.constantFrom('victim', 'deactivated', 'self', 'anonymised'), weight: 4 }, { arbitrary: hostileSegment, weight: 1 }),
          fields: junkFields,
        }),
        attempt: async ({ who: w, target, fields }) => {
          let id: string = target;
          if (target === 'victim' || target === 'deactivated') {
            id = (await makeUser(env.db, ['participant'], `<b>Ann</b> ${target}`)).id;
            if (target === 'deactivated') await env.db.updateTable('users').set({ deactivated_at: new Date().toISOString() }).where('id', '=', id).execute();
          } else if (target === 'self') id = env.users.admin.id;
          else if (target === 'anonymised') id = env.anonymisedId;
          return { browser: await env.browser(w), path: `/admin/users/${id}/${action}`, fields };
        },
        accepted: action === 'password-link' ? [200] : [303],
        refusals: [...Object.values(nl.adminAccounts.refusals), nl.errors.not_found_or_no_access],
      }),
    ]),
  ),
  'POST /password/:token': (env) => ({
    numRuns: 15,
    input: fc.record({
      token: fc.oneof({ arbitrary: fc.constant('valid'), weight: 4 }, { arbitrary: hostileSegment, weight: 1 }),
      fields: hostileForm(field('password', mostly(['een-nieuw-wachtwoord', 'kort'])), field('repeat', mostly(['een-nieuw-wachtwoord']))),
    }),
    attempt: async ({ token, fields }) => {
      let path = `/password/${token}`;
      if (token === 'valid') {
        const victim = await makeUser(env.db, ['participant']);
        path = (await createPasswordLink(env.db, actorOf({ id: env.users.admin.id, roles: ['admin'] }), victim.id)).passwordPath;
      }
      return { browser: await env.browser('anonymous'), path, fields };
    },
    accepted: [303],
    // A token of "." or ".." makes another address (URLs resolve dot segments): not found.
    refusals: [nl.passwordLink.unusable, ...Object.values(nl.account.errors), nl.errors.not_found_or_no_access],
  }),
  'POST /admin/runs/:runId/enrolments': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: who({ admin: 6, teacher: 1 }),
      run: fc.oneof({ arbitrary: fc.constant('run'), weight: 6 }, { arbitrary: hostileSegment, weight: 1 }),
      users: fc.array(fc.oneof({ arbitrary: fc.constant('new'), weight: 4 }, { arbitrary: hostileText, weight: 1 }), { maxLength: 3 }),
      fields: junkFields,
    }),
    attempt: async ({ who: w, run, users, fields }) => {
      const chosen: Field[] = [];
      for (const u of users as string[]) chosen.push(['user', u === 'new' ? (await makeUser(env.db)).id : u]);
      return { browser: await env.browser(w), path: `/admin/runs/${run === 'run' ? env.run.id : run}/enrolments`, fields: [...fields, ...chosen] };
    },
    accepted: [303],
    refusals: [...Object.values(nl.adminEnrolments.refusals), nl.errors.not_found_or_no_access],
  }),
  'POST /admin/runs/:runId/enrolments/:enrolmentId/remove': (env) => ({
    numRuns: 12,
    input: fc.record({
      who: who({ admin: 6, teacher: 1 }),
      enrolment: fc.oneof({ arbitrary: fc.constantFrom('fresh', 'certified'), weight: 4 }, { arbitrary: hostileSegment, weight: 1 }),
      fields: hostileForm(field('confirm', mostly(['1'], 4))),
    }),
    attempt: async ({ who: w, enrolment, fields }) => {
      let id: string = enrolment;
      if (enrolment === 'fresh') id = (await enrol(env.db, env.run, (await makeUser(env.db, ['participant'], '<b>Ann</b> "O\'Neil"')).id)).id;
      else if (enrolment === 'certified') id = env.enrolmentIds[0]!;
      return { browser: await env.browser(w), path: `/admin/runs/${env.run.id}/enrolments/${id}/remove`, fields };
    },
    // 200: the confirmation screen, which writes nothing.
    accepted: [303, 200],
    refusals: [...Object.values(nl.adminEnrolments.refusals), nl.errors.not_found_or_no_access],
  }),
  'POST /admin/runs/:runId/waiting/:userId/remove': (env) => ({
    numRuns: 10,
    input: fc.record({
      who: who({ admin: 6, teacher: 1 }),
      target: fc.oneof({ arbitrary: fc.constantFrom('waiting', 'enrolled'), weight: 4 }, { arbitrary: hostileSegment, weight: 1 }),
      fields: junkFields,
    }),
    attempt: async ({ who: w, target, fields }) => {
      let id: string = target;
      if (target === 'waiting') {
        id = (await makeUser(env.db)).id;
        await env.db.insertInto('waiting_list').values({ id: newId(), run_id: env.run.id, user_id: id, added_at: new Date().toISOString(), added_by: null }).execute();
      } else if (target === 'enrolled') id = env.users.participant.id;
      return { browser: await env.browser(w), path: `/admin/runs/${env.run.id}/waiting/${id}/remove`, fields };
    },
    accepted: [303],
    refusals: [...Object.values(nl.adminEnrolments.refusals), nl.errors.not_found_or_no_access],
  }),
  'POST /admin/imports': (env) => {
    const csv = fc.constantFrom('\uFEFFE-mail;Naam\r\nx@example.test;<b>Ann</b>\r\n', 'email,uitvoering\n"niet gesloten\n', '', 'a'.repeat(50));
    return {
      numRuns: 12,
      input: fc.record({
        who: who({ admin: 6, teacher: 1 }),
        fields: hostileForm(field('kind', mostly(['users', 'enrolments'])), fc.oneof(csv.map((text): Field[] => [['file', new File([text], '<b>x</b>.csv', { type: 'text/csv' })]]), fc.constant<Field[]>([]))),
      }),
      attempt: async ({ who: w, fields }) => ({ browser: await env.browser(w), path: '/admin/imports', fields }),
      accepted: [303],
      refusals: [...Object.values(nl.csvImport.refusals), nl.errors.not_found_or_no_access],
    };
  },
  'POST /admin/imports/:id': (env) => ({
    numRuns: 12,
    input: fc.record({
      who: who({ admin: 6, teacher: 1 }),
      file: fc.oneof({ arbitrary: fc.constantFrom('good', 'mixed', 'broken'), weight: 4 }, { arbitrary: hostileSegment, weight: 1 }),
      fields: hostileForm(field('mode', mostly(['all', 'valid']))),
    }),
    attempt: async ({ who: w, file, fields }) => {
      let id: string = file;
      const contents = { good: `email;naam\n${newId().toLowerCase()}@example.test;<b>Ann</b>\n`, mixed: `email;naam\n${newId().toLowerCase()}@example.test;Ann\ngeen-adres;Bob\n`, broken: 'email;naam\n"x' };
      // A hostile segment such as `__proto__` is an id to send, not a key of this object.
      const content = Object.hasOwn(contents, file) ? contents[file as keyof typeof contents] : undefined;
      if (content !== undefined) id = await stageImport(env.db, actorOf({ id: env.users.admin.id, roles: ['admin'] }), 'users', 'x.csv', content);
      return { browser: await env.browser(w), path: `/admin/imports/${id}`, fields };
    },
    accepted: [303],
    refusals: [...Object.values(nl.csvImport.refusals), nl.errors.not_found_or_no_access],
  }),
  'POST /teacher/runs/:runId': (env) => {
    const pdf = new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), 0, 1, 2]);
    const proofFile = fc.constantFrom(new File([pdf], 'attest.pdf'), new File(['<script>alert(1)</script>'], 'attest.pdf', { type: 'application/pdf' }), new File([], ''));
    const hostileRow = fc.record({
      id: ids([...env.enrolmentIds, env.otherEnrolmentId]),
      fields: fc.tuple(
        field('version', mostly([CURRENT, '1'], 5)),
        fc.boolean().map((on): Field[] => (on ? [['present', '1']] : [])),
        field('status', mostly(['', 'completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid', 'exempted', 'started', 'archived'])),
        field('effort', mostly(['', 'excellent', 'good', 'sufficient', 'insufficient'])),
        field('comment', hostileText),
        field('proofNote', mostly(['', 'Doktersbriefje gezien'])),
        field('withdrawnOn', mostly(['', '2026-01-05', '2999-12-31', '2026-02-30'])),
        field('reason', mostly(['', 'Vergissing'])),
        field('seen', mostly(['', 'enrolled;00000000;', 'completed;zz;P1'])),
        field('proofFileKey', mostly(['', `${newId()}.pdf`], 4)),
        rarely(proofFile.map((f): Field[] => [['proofFile', f]])),
      ),
    });
    // A row a teacher could send, with awkward but valid text: it gets past the form checks to the
    // rules, the confirmation step (Voltooid with a meeting still to come, R2) and the save.
    const fineText = fc.constantFrom('', '<b>Ann</b> "goed" & \'beter\'', '\u202Eevil\u202C مرحبا 👩🏽‍🏫', 'a\u0000b');
    const fineRow = fc.record({
      id: fc.constantFrom(...env.enrolmentIds),
      fields: fc.tuple(
        fc.constant<Field[]>([['version', CURRENT]]),
        fc.boolean().map((on): Field[] => (on ? [['present', '1']] : [])),
        fc.constantFrom('', 'completed', 'completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid').map((v): Field[] => [['status', v]]),
        fc.constantFrom('', 'excellent', 'insufficient').map((v): Field[] => [['effort', v]]),
        fineText.map((v): Field[] => [['comment', v]]),
        fineText.map((v): Field[] => [['proofNote', v]]),
      ),
    });
    const row = fc.oneof({ arbitrary: fineRow, weight: 3 }, { arbitrary: hostileRow, weight: 1 });
    const meetings = fc.oneof(
      { arbitrary: fc.subarray(env.run.meetings.map((m) => m.id)), weight: 3 },
      { arbitrary: fc.array(ids([...env.run.meetings.map((m) => m.id), ...env.otherRun.meetings.map((m) => m.id)]), { maxLength: 3 }), weight: 1 },
    );
    return {
      numRuns: 50,
      input: fc.record({
        who: who({ teacher: 10, admin: 1, otherTeacher: 1, participant: 1 }),
        run: fc.oneof({ arbitrary: fc.constant(env.run.id), weight: 12 }, { arbitrary: segment([env.otherRun.id]), weight: 1 }),
        rows: fc.array(row, { maxLength: 3 }),
        form: hostileForm(
          meetings.map((ms) => ms.map((m): Field => ['meeting', m])),
          ...['allMeetings', 'ignoreMaximum', 'confirmEarly', 'confirmOverwrites'].map((name) => sometimes(field(name, mostly(['1'], 4)))),
          rarely(field('back', mostly(['1']))),
        ),
      }),
      attempt: async ({ who: w, run, rows, form }) => {
        const versions = new Map(
          (await env.db.selectFrom('enrolments').select(['id', 'version']).execute()).map((e) => [e.id, String(e.version)]),
        );
        const fields: Field[] = [...form];
        for (const r of rows as { id: string; fields: Field[][] }[]) {
          fields.push(['row', r.id]);
          for (const [name, value] of r.fields.flat()) {
            fields.push([`${name}.${r.id}`, value === CURRENT ? (versions.get(r.id) ?? '1') : value]);
          }
        }
        return { browser: await env.browser(w), path: `/teacher/runs/${run}`, fields };
      },
      accepted: [303],
      unsaved: {
        status: 200,
        mayWrite: ['proof_files'],
        check: (html, x) => {
          const back = (x.form as Field[]).some(([k, v]) => k === 'back' && v === '1');
          const text = pageText(html);
          if (back) expect(text, 'the way back shows the form').toContain(nl.teacher.submit);
          else expect(text, 'a 200 is the confirmation step').toContain(nl.registration.confirmIntro);
        },
      },
      // A refusal names its reason (beside its row, or in the banner for a row the table does not show).
      refusals: [
        ...Object.values(nl.registration.errors),
        // Presence at a meeting still to come names the meeting (R2): its reason is the text around the name.
        nl.registration.meetingNotStarted('\u0000').split('\u0000')[1]!,
        nl.registration.conflict,
        nl.registration.conflictTitle,
        nl.errors.not_found_or_no_access,
      ],
      onAccepted: async (response, x) => {
        // Only who may manage the run saves it (R1): its teacher, or an administrator on any run.
        const manages = x.who === 'admin' || (x.who === 'teacher' && x.run === env.run.id) || (x.who === 'otherTeacher' && x.run === env.otherRun.id);
        expect(manages, `${x.who} saved run ${x.run}`).toBe(true);
        expect(response.headers.get('location')).toBe(`/teacher/runs/${x.run}?saved=1#banner`);
      },
    };
  },
  ...lifecycleFormCases(),
  'POST /admin/certificates/revoke': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: who({ admin: 6, teacher: 1, participant: 1 }),
      target: fc.oneof({ arbitrary: fc.constant('fresh'), weight: 4 }, { arbitrary: fc.constant(newId()), weight: 1 }, { arbitrary: hostileText, weight: 1 }),
      fields: hostileForm(
        field('scope', mostly(['picked'])),
        field('reason', mostly(['Examen ongeldig verklaard', '<b>Ann</b> "fraude" 👩🏽‍🏫', ' ', ''], 3)),
        sometimes(field('confirm', mostly(['1']))),
        sometimes(field('q', mostly(['Ann', '%_\\']))),
      ),
    }),
    // Each request revokes a certificate of its own, so the other cases keep theirs valid.
    attempt: async ({ who: w, target, fields }) => {
      let id = target;
      if (target === 'fresh') {
        const holder = await makeUser(env.db);
        const e = await enrol(env.db, env.run, holder.id, { status: 'completed' });
        id = (await makeCertificate(env.db, { enrolmentId: e.id, userId: holder.id, courseId: env.run.courseId })).id;
      }
      return { browser: await env.browser(w), path: '/admin/certificates/revoke', fields: [['certificate', id], ...fields] };
    },
    accepted: [303],
    unsaved: { status: 200, mayWrite: [], check: (html) => expect(pageText(html)).toContain(nl.bulkRevocation.confirm) },
    refusals: [...Object.values(nl.bulkRevocation.refusals), nl.errors.not_found_or_no_access],
    onAccepted: async (response, x) => {
      expect(x.who, 'only an administrator revokes').toBe('admin');
      expect(response.headers.get('location')).toMatch(/^\/admin\/certificates(\?|$)/);
    },
  }),
  ...participantFormCases(),

  'POST /admin/courses': (env) => adminForm(env, () => fc.constant('/admin/courses'), courseForm),
  'POST /admin/courses/:id': (env) => adminForm(env, () => segment([env.run.courseId]).map((id) => `/admin/courses/${id}`), courseForm),
  'POST /admin/courses/:id/runs': (env) => adminForm(env, () => segment([env.run.courseId]).map((id) => `/admin/courses/${id}/runs`), runForm),
  'POST /admin/programmes': (env) => adminForm(env, () => fc.constant('/admin/programmes'), programmeForm),
  'POST /admin/programmes/:id': (env) => adminForm(env, () => segment([env.programmeId]).map((id) => `/admin/programmes/${id}`), programmeForm),
  'POST /admin/runs/:id': (env) => adminForm(env, () => segment([env.run.id]).map((id) => `/admin/runs/${id}`), runForm),
  'POST /admin/runs/:id/meetings': (env) => adminForm(env, () => segment([env.run.id]).map((id) => `/admin/runs/${id}/meetings`), meetingForm),
  'POST /admin/runs/:id/meetings/:meetingId': (env) =>
    adminForm(env, () => fc.tuple(segment([env.run.id]), segment(env.run.meetings.map((m) => m.id))).map(([r, m]) => `/admin/runs/${r}/meetings/${m}`), meetingForm),
  'POST /admin/runs/:id/meetings/:meetingId/delete': (env) =>
    adminForm(
      env,
      () => fc.tuple(segment([env.run.id]), segment([...env.run.meetings.map((m) => m.id), env.otherRun.meetings[0]!.id])).map(([r, m]) => `/admin/runs/${r}/meetings/${m}/delete`),
      hostileForm(field('confirm', mostly(['1']))),
      [nl.catalog.runs.deleteTitle],
    ),
  'POST /admin/runs/:id/copy': (env) =>
    adminForm(env, () => segment([env.run.id]).map((id) => `/admin/runs/${id}/copy`), hostileForm(field('code', mostly(['KOPIE-1', 'kopie-2'])), field('startsOn', mostly(['2026-03-29', '2027-01-04'])))),
  'POST /admin/runs/:id/teachers': (env) =>
    adminForm(
      env,
      () => segment([env.run.id]).map((id) => `/admin/runs/${id}/teachers`),
      hostileForm(field('userId', mostly([env.users.otherTeacher.id, env.users.teacher.id, env.users.participant.id]))),
      [nl.catalog.errors.not_a_teacher],
    ),
  'POST /admin/runs/:id/teachers/:userId/remove': (env) =>
    adminForm(env, () => fc.tuple(segment([env.run.id]), segment([env.users.teacher.id, env.users.otherTeacher.id])).map(([r, u]) => `/admin/runs/${r}/teachers/${u}/remove`), junkFields),
};

/** The administrator's lifecycle forms: each refuses anyone else, a missing or hostile reason, and unknown ids. */
function lifecycleFormCases(): Record<string, (env: Env) => FormCase<any>> {
  const refusals = [...Object.values(nl.lifecycle.refusals), nl.errors.not_found_or_no_access, nl.errors.invalid_input];
  const reason = mostly(['Lesgever ziek', '<b>Ann</b> "afgelast" 👩🏽‍🏫', ' '], 3);
  const whoever = who({ admin: 6, teacher: 1, participant: 1 });
  const course = (env: Env) => fc.oneof({ arbitrary: fc.constant(env.run.courseId), weight: 6 }, { arbitrary: hostileSegment, weight: 1 }, { arbitrary: fc.constant(newId()), weight: 1 });
  const pdf = new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), 0, 1, 2]);
  const simple = (route: string, path: (env: Env, target: string) => string, target: (env: Env) => fc.Arbitrary<string>, withReason: boolean) => (env: Env): FormCase<any> => ({
    numRuns: 12,
    input: fc.record({ who: whoever, target: target(env), fields: hostileForm(withReason ? field('reason', reason) : fc.constant<Field[]>([])) }),
    attempt: async ({ who: w, target: t, fields }) => ({ browser: await env.browser(w), path: path(env, t), fields }),
    accepted: [303],
    refusals,
    onAccepted: async (response, x) => {
      expect(x.who, `${route} accepted from ${x.who}`).toBe('admin');
      expect(response.headers.get('location')).toMatch(/^\/admin\/lifecycle\/courses\/[0-9A-Z]{26}#banner$/);
    },
  });
  return {
    'POST /admin/lifecycle/runs/:id/cancel': simple('cancel run', (_env, t) => `/admin/lifecycle/runs/${t}/cancel`, (env) => segment([env.run.id]), true),
    'POST /admin/lifecycle/courses/:id/cancel': simple('cancel course', (_env, t) => `/admin/lifecycle/courses/${t}/cancel`, course, true),
    'POST /admin/lifecycle/courses/:id/new-version': simple('new version', (_env, t) => `/admin/lifecycle/courses/${t}/new-version`, course, false),
    'POST /admin/lifecycle/courses/:id/archive': simple('archive', (_env, t) => `/admin/lifecycle/courses/${t}/archive`, course, false),
    'POST /admin/lifecycle/enrolments/:id/exempt': (env) => ({
      numRuns: 15,
      input: fc.record({
        who: whoever,
        target: segment([...env.enrolmentIds, env.otherEnrolmentId]),
        fields: hostileForm(
          field('reason', reason),
          rarely(fc.constantFrom(new File([pdf], 'attest.pdf'), new File(['<script>alert(1)</script>'], 'attest.pdf', { type: 'application/pdf' })).map((f): Field[] => [['evidence', f]])),
        ),
      }),
      attempt: async ({ who: w, target, fields }) => ({ browser: await env.browser(w), path: `/admin/lifecycle/enrolments/${target}/exempt`, fields }),
      accepted: [303],
      refusals,
      onAccepted: async (_response, x) => expect(x.who).toBe('admin'),
    }),
    'POST /admin/lifecycle/courses/:id/exemption-list': (env) => {
      const email = env.users.participant.email;
      const lists = fc.constantFrom(`\uFEFFe-mail;naam\n${email};Ann\n`, `${email.toUpperCase()},x\nniemand@example.test\n`, 'a;"b\n', '');
      return {
        numRuns: 15,
        input: fc.record({
          who: whoever,
          target: course(env),
          fields: hostileForm(
            field('step', mostly(['preview', 'import'])),
            field('reason', reason),
            rarely(lists.map((l): Field[] => [['listText', l]])),
            sometimes(fc.oneof(lists, hostileText).map((l): Field[] => [['list', new File([l], 'lijst.csv', { type: 'text/csv' })]])),
          ),
        }),
        attempt: async ({ who: w, target, fields }) => ({ browser: await env.browser(w), path: `/admin/lifecycle/courses/${target}/exemption-list`, fields }),
        // A preview (200) writes nothing; an import (303) writes.
        accepted: [200, 303],
        refusals,
        onAccepted: async (_response, x) => expect(x.who).toBe('admin'),
      };
    },
  };
}

/** The participant's own actions and the course content pages (knowledge centre, e-learning, run choice, withdrawal, absences). */
function participantFormCases(): Record<string, (env: Env) => FormCase<any>> {
  const refusals = [...Object.values(nl.participantActions.refusals), ...Object.values(nl.courseContent.errors), nl.errors.not_found_or_no_access, nl.errors.conflict];
  const own = (env: Env) => segment([env.lifecycle.futureEnrolmentId, env.lifecycle.choiceEnrolmentId, env.enrolmentIds[0]!, env.otherEnrolmentId]);
  const participant = who({ participant: 6, teacher: 1, anonymous: 1 });
  const admin = who({ admin: 6, teacher: 1, participant: 1 });
  const files = fc.constantFrom<Field[]>(
    [],
    [['file', new File([PDF_BYTES], 'brochure.pdf')]],
    [['file', new File(['<script>alert(1)</script>'], 'x.pdf', { type: 'application/pdf' })]],
    [['package', new File([new Uint8Array(modulePackage())], 'module.zip')]],
    [['package', new File([new Uint8Array(modulePackage({ '../../evil.html': 'x' }))], 'slip.zip')]],
    [['package', new File(['PK not a zip'], 'x.zip')]],
    [['proofFile', new File([PDF_BYTES], 'attest.pdf')]],
  );
  const simple = (
    numRuns: number,
    w: fc.Arbitrary<Who>,
    target: (env: Env) => fc.Arbitrary<string>,
    path: (id: string, env: Env) => string,
    form: (env: Env) => fc.Arbitrary<Field[]>,
  ) => (env: Env): FormCase<any> => ({
    numRuns,
    input: fc.record({ who: w, id: target(env), fields: hostileForm(form(env), rarely(files)) }),
    attempt: async ({ who: wh, id, fields }) => ({ browser: await env.browser(wh), path: path(id, env), fields }),
    accepted: [303],
    refusals,
  });
  const course = (env: Env) => segment([env.run.courseId]);
  const meeting = (env: Env) => segment([env.lifecycle.futureMeetingId, env.run.meetings[0]!.id]);
  return {
    'POST /me/enrolments/:id/knowledge-centre': simple(12, participant, own, (id) => `/me/enrolments/${id}/knowledge-centre`, () => junkFields),
    'POST /me/enrolments/:id/elearning': simple(12, participant, own, (id) => `/me/enrolments/${id}/elearning`, () => junkFields),
    'POST /me/enrolments/:id/run': simple(15, participant, own, (id) => `/me/enrolments/${id}/run`, (env) => field('runId', mostly([env.lifecycle.choiceRunId, env.otherRun.id]))),
    'POST /me/enrolments/:id/withdraw': simple(15, participant, own, (id) => `/me/enrolments/${id}/withdraw`, () => field('reason', mostly(['', 'Nieuwe job']))),
    'POST /me/enrolments/:id/absences/:meetingId': (env) =>
      simple(15, participant, () => fc.tuple(own(env), meeting(env)).map((p) => p.join('/')), (id) => `/me/enrolments/${id.split('/')[0]}/absences/${id.split('/').slice(1).join('/')}`, () => field('reason', mostly(['Ziek', ''])))(env),
    'POST /me/enrolments/:id/absences/:meetingId/delete': (env) =>
      simple(12, participant, () => fc.tuple(own(env), meeting(env)).map((p) => p.join('/')), (id) => `/me/enrolments/${id.split('/')[0]}/absences/${id.split('/').slice(1).join('/')}/delete`, () => junkFields)(env),
    'POST /admin/course-content/:courseId/knowledge-centre': simple(12, admin, course, (id) => `/admin/course-content/${id}/knowledge-centre`, () => field('markdown', mostly(['# Welkom\n\n[link](javascript:alert(1))<script>x</script>', '']))),
    'POST /admin/course-content/:courseId/files': simple(12, admin, course, (id) => `/admin/course-content/${id}/files`, () => junkFields),
    'POST /admin/course-content/:courseId/elearning': simple(12, admin, course, (id) => `/admin/course-content/${id}/elearning`, () => junkFields),
    'POST /admin/enrolments/:id/withdraw': simple(
      15,
      admin,
      own,
      (id) => `/admin/enrolments/${id}/withdraw`,
      () => hostileForm(field('withdrawnOn', mostly(['2026-11-30', '2026-02-30', ''])), field('proofNote', mostly(['', 'Attest gezien']))),
    ),
  };
}

let knownHash: Promise<string> | undefined;
const passwordHash = () => (knownHash ??= hashPassword(PASSWORD));

const PAGE_CASES: Record<string, (env: Env) => PageCase<any>> = {
  'GET /admin/api-tokens': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/api-tokens'), query('after', 'before')),
  'GET /admin/webhooks': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/webhooks'), query('after', 'before')),
  'GET /admin/webhooks/:id': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.webhookId]).map((id) => `/admin/webhooks/${id}`), query('after', 'before')),
  'GET /api/openapi.json': (env) => page(env, who({ anonymous: 1 }), fc.constant('/api/openapi.json'), query()),
  'GET /api/reference': (env) => page(env, who({ anonymous: 1, admin: 1 }), fc.constant('/api/reference'), query()),
  'GET /static/app.css': (env) => page(env, who({ anonymous: 1 }), fc.constant('/static/app.css'), query('v')),
  'GET /static/app.js': (env) => page(env, who({ anonymous: 1 }), fc.constant('/static/app.js'), query('v')),
  'GET /login': (env) => page(env, who({ anonymous: 2, participant: 1 }), fc.constant('/login'), query('next', 'loggedOut')),
  'GET /': (env) => page(env, who({ participant: 1, teacher: 1, admin: 1 }), fc.constant('/'), query()),
  'GET /teacher/runs': (env) => page(env, who({ teacher: 2, participant: 1 }), fc.constant('/teacher/runs'), query()),
  'GET /teacher/runs/:runId': (env) =>
    page(env, who({ teacher: 3, otherTeacher: 1, admin: 1 }), segment([env.run.id]).map((id) => `/teacher/runs/${id}`), query('saved', 'participants', 'meetings', 'attendanceChanged', 'statusesChanged', 'certificatesIssued', 'certificatesRevoked', 'pointsCredited', 'effortChanged')),
  'GET /admin': (env) => page(env, who({ admin: 3, teacher: 1 }), fc.constant('/admin'), query('course', 'place', 'from', 'to', 'teacher', 'state', 'after', 'before')),
  'GET /teacher/runs/:runId/attendance-sheets': (env) =>
    page(env, who({ teacher: 3, otherTeacher: 1, admin: 1 }), segment([env.run.id]).map((id) => `/teacher/runs/${id}/attendance-sheets`), query()),
  'GET /teacher/runs/:runId/attendance-sheet.pdf': (env) =>
    page(env, who({ teacher: 3, otherTeacher: 1, participant: 1 }), segment([env.run.id, env.otherRun.id]).map((id) => `/teacher/runs/${id}/attendance-sheet.pdf`), query()),
  'GET /teacher/runs/:runId/meetings/:meetingId/attendance-sheet.pdf': (env) =>
    page(
      env,
      who({ teacher: 3, admin: 1, otherTeacher: 1 }),
      fc
        .tuple(segment([env.run.id]), segment([...env.run.meetings.map((m) => m.id), env.otherRun.meetings[0]!.id]))
        .map(([run, meeting]) => `/teacher/runs/${run}/meetings/${meeting}/attendance-sheet.pdf`),
      query(),
    ),
  'GET /teacher/runs/:runId/export.csv': (env) =>
    page(env, who({ teacher: 3, otherTeacher: 1, admin: 1 }), segment([env.run.id, env.otherRun.id]).map((id) => `/teacher/runs/${id}/export.csv`), query()),
  'GET /teacher/runs/:runId/export.xlsx': (env) =>
    page(env, who({ teacher: 3, participant: 1, admin: 1 }), segment([env.run.id]).map((id) => `/teacher/runs/${id}/export.xlsx`), query()),
  'GET /me/study-points': (env) => page(env, who({ participant: 2, admin: 1 }), fc.constant('/me/study-points'), query()),
  'GET /me/study-points.pdf': (env) => page(env, who({ participant: 2, anonymous: 1 }), fc.constant('/me/study-points.pdf'), query()),
  'GET /me/study-points.csv': (env) => page(env, who({ participant: 2, teacher: 1 }), fc.constant('/me/study-points.csv'), query()),
  'GET /admin/users/:id/study-points.pdf': (env) =>
    page(env, who({ admin: 4, participant: 1 }), segment([env.users.participant.id, env.anonymisedId]).map((id) => `/admin/users/${id}/study-points.pdf`), query()),
  'GET /admin/users/:id/study-points.csv': (env) =>
    page(env, who({ admin: 4, teacher: 1 }), segment([env.users.participant.id]).map((id) => `/admin/users/${id}/study-points.csv`), query()),
  'GET /me/enrolments': (env) => page(env, who({ participant: 1 }), fc.constant('/me/enrolments'), query()),
  'GET /me/enrolments/:id': (env) => page(env, who({ participant: 3, teacher: 1 }), segment([env.enrolmentIds[0]!]).map((id) => `/me/enrolments/${id}`), query('before')),
  'GET /me/certificates/:file{[0-9A-Za-z]+\\.pdf}': (env) =>
    page(env, who({ participant: 3, admin: 1, teacher: 1 }), segment([env.certificateId]).map((id) => `/me/certificates/${id}.pdf`), query()),
  'GET /verify': (env) => page(env, who({ anonymous: 1 }), fc.constant('/verify'), query('code')),
  'GET /verify/:code': (env) => page(env, who({ anonymous: 1 }), segment([env.verificationCode, env.verificationCode.toLowerCase()]).map((c) => `/verify/${c}`), query()),
  'GET /account': (env) => page(env, who({ participant: 1 }), fc.constant('/account'), query('passwordChanged')),
  'GET /account/data.json': (env) => page(env, who({ participant: 1 }), fc.constant('/account/data.json'), query()),
  'GET /account/password': (env) => page(env, who({ participant: 1 }), fc.constant('/account/password'), query()),
  'GET /admin/users': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/users'), query('q', 'page')),
  'GET /admin/users/new': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/users/new'), query()),
  'GET /password/:token': (env) => page(env, who({ anonymous: 3, participant: 1 }), segment(['onbekend']).map((tk) => `/password/${tk}`), query()),
  'GET /admin/runs/:runId/enrolments': (env) =>
    page(env, who({ admin: 4, teacher: 1 }), segment([env.run.id]).map((id) => `/admin/runs/${id}/enrolments`), query('q', 'after', 'before', 'done', 'enrolled', 'waiting', 'already', 'promoted')),
  'GET /admin/imports': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/imports'), query('imported', 'new', 'changed', 'waiting', 'kind')),
  'GET /admin/imports/:id': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.importId]).map((id) => `/admin/imports/${id}`), query()),
  'GET /admin/history': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/history'), query('run', 'person', 'actor', 'kind', 'from', 'to', 'after', 'before')),
  'GET /admin/branding': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/branding'), query('saved')),
  'GET /organisation/logo': (env) => page(env, who({ anonymous: 2, admin: 1 }), fc.constant('/organisation/logo'), query('v')),
  'GET /calendar/:file{[0-9A-Za-z_-]+\\.ics}': (env) =>
    page(env, who({ anonymous: 3, participant: 1 }), segment([env.calendarToken, env.calendarToken.toLowerCase()]).map((token) => `/calendar/${token}.ics`), query()),
  'GET /admin/history.csv': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/history.csv'), query('run', 'person', 'actor', 'kind', 'from', 'to')),
  'GET /admin/history.xlsx': (env) => page(env, who({ admin: 4, participant: 1 }), fc.constant('/admin/history.xlsx'), query('run', 'person', 'actor', 'kind', 'from', 'to')),
  'GET /admin/runs.csv': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/runs.csv'), query('course', 'place', 'from', 'to', 'teacher', 'state')),
  'GET /admin/runs.xlsx': (env) => page(env, who({ admin: 4, participant: 1 }), fc.constant('/admin/runs.xlsx'), query('course', 'place', 'from', 'to', 'teacher', 'state')),
  'GET /admin/users/:id': (env) => page(env, who({ admin: 4, participant: 1 }), segment([env.users.participant.id]).map((id) => `/admin/users/${id}`), query('anonymised')),
  'GET /admin/lifecycle': (env) => page(env, who({ admin: 3, teacher: 1 }), fc.constant('/admin/lifecycle'), query()),
  'GET /admin/certificates': (env) => page(env, who({ admin: 3, teacher: 1 }), fc.constant('/admin/certificates'), query('course', 'run', 'q', 'after', 'before')),
  'GET /admin/lifecycle/courses/:id': (env) =>
    page(env, who({ admin: 4, teacher: 1 }), segment([env.run.courseId]).map((id) => `/admin/lifecycle/courses/${id}`), query('done', 'n', 'runs', 'version', 'name', 'applied', 'skipped', 'refused')),
  'GET /admin/lifecycle/runs/:id/cancel': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.run.id]).map((id) => `/admin/lifecycle/runs/${id}/cancel`), query()),
  'GET /admin/lifecycle/courses/:id/cancel': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.run.courseId]).map((id) => `/admin/lifecycle/courses/${id}/cancel`), query()),
  'GET /admin/lifecycle/courses/:id/new-version': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.run.courseId]).map((id) => `/admin/lifecycle/courses/${id}/new-version`), query()),
  'GET /admin/lifecycle/courses/:id/archive': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.run.courseId]).map((id) => `/admin/lifecycle/courses/${id}/archive`), query()),
  'GET /admin/lifecycle/enrolments/:id/exempt': (env) =>
    page(env, who({ admin: 4, teacher: 1 }), segment([env.enrolmentIds[1]!]).map((id) => `/admin/lifecycle/enrolments/${id}/exempt`), query()),
  'GET /admin/lifecycle/courses/:id/exemption-list': (env) =>
    page(env, who({ admin: 4, teacher: 1 }), segment([env.run.courseId]).map((id) => `/admin/lifecycle/courses/${id}/exemption-list`), query()),
  'GET /admin/courses': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/courses'), query('q', 'after', 'before')),
  'GET /admin/courses/new': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/courses/new'), query()),
  'GET /admin/courses/:id': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.run.courseId]).map((id) => `/admin/courses/${id}`), query('saved')),
  'GET /admin/courses/:id/runs/new': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.run.courseId]).map((id) => `/admin/courses/${id}/runs/new`), query()),
  'GET /admin/programmes': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/programmes'), query('after', 'before')),
  'GET /admin/programmes/new': (env) => page(env, who({ admin: 4, teacher: 1 }), fc.constant('/admin/programmes/new'), query()),
  'GET /admin/programmes/:id': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.programmeId]).map((id) => `/admin/programmes/${id}`), query('saved')),
  'GET /admin/runs/:id': (env) => page(env, who({ admin: 4, teacher: 1 }), segment([env.run.id]).map((id) => `/admin/runs/${id}`), query('saved', 'who', 'teacher')),
  'GET /admin/runs/:id/meetings/:meetingId': (env) =>
    page(env, who({ admin: 4, teacher: 1 }), fc.tuple(segment([env.run.id]), segment(env.run.meetings.map((m) => m.id))).map(([r, m]) => `/admin/runs/${r}/meetings/${m}`), query()),
  'GET /admin/runs/:id/meetings/:meetingId/delete': (env) =>
    page(env, who({ admin: 4, teacher: 1 }), fc.tuple(segment([env.run.id]), segment(env.run.meetings.map((m) => m.id))).map(([r, m]) => `/admin/runs/${r}/meetings/${m}/delete`), query()),
  'GET /admin/course-content': (env) => page(env, who({ admin: 3, teacher: 1 }), fc.constant('/admin/course-content'), query()),
  'GET /admin/course-content/:courseId': (env) => page(env, who({ admin: 3, participant: 1 }), segment([env.run.courseId]).map((id) => `/admin/course-content/${id}`), query('saved')),
  'GET /admin/enrolments/:id/withdraw': (env) => page(env, who({ admin: 3, participant: 1 }), segment([env.lifecycle.futureEnrolmentId]).map((id) => `/admin/enrolments/${id}/withdraw`), query('done')),
  'GET /me/enrolments/:id/knowledge-centre': (env) =>
    page(env, who({ participant: 3, teacher: 1 }), segment([env.lifecycle.futureEnrolmentId]).map((id) => `/me/enrolments/${id}/knowledge-centre`), query('done')),
  'GET /me/enrolments/:id/knowledge-centre/files/:fileId': (env) =>
    page(env, who({ participant: 3, teacher: 1 }), segment([env.lifecycle.fileId]).map((id) => `/me/enrolments/${env.lifecycle.futureEnrolmentId}/knowledge-centre/files/${id}`), query()),
  'GET /courses/:courseId/elearning/:key/*': (env) =>
    page(
      env,
      who({ anonymous: 1, participant: 1 }),
      fc.tuple(segment([env.lifecycle.moduleKey]), fc.constantFrom('index.html', 'app.js', '..%2F..%2Fpresentia.db', '%2e%2e/%2e%2e/x', 'nope.html', '')).map(([key, file]) => `/courses/${env.run.courseId}/elearning/${key}/${file}`),
      query(),
    ),
};

/** A JSON body as a hostile client may send it: hostile values where values belong, junk members, or not JSON at all. */
const hostileJson = (valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<{ body?: unknown; rawBody?: string }> =>
  fc.oneof(
    { weight: 5, arbitrary: valid.map((body) => ({ body })) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.dictionary(hostileText, fc.oneof(hostileText, fc.integer(), fc.constant(null)), { maxKeys: 2 })).map(([v, junk]) => ({ body: { ...junk, ...v } })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((body) => ({ body })) },
    { weight: 1, arbitrary: fc.oneof(hostileText, fc.constantFrom('{', '{"rows": [', '[]', 'null', '"x"', '{"rows":[{"enrolmentId":"\u0000"}]}')).map((rawBody) => ({ rawBody })) },
  );
const anyValue = fc.oneof(hostileText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(hostileText, { maxLength: 2 }));
const maybe = <T,>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anyValue });
const caller = (weights: Partial<Record<ApiCaller | 'none', number>>) =>
  fc.oneof(...Object.entries(weights).map(([w, weight]) => ({ arbitrary: fc.constant(w as ApiCaller | 'none'), weight: weight! })));
const apiQuery = (...names: string[]) => query(...names);

function apiRead(weights: Partial<Record<ApiCaller | 'none', number>>, path: (env: Env) => fc.Arbitrary<string>, q: fc.Arbitrary<string> = apiQuery('after', 'before')) {
  return (env: Env): ApiCase<[ApiCaller | 'none', string, string]> => ({
    numRuns: 12,
    input: fc.tuple(caller(weights), path(env), q),
    attempt: ([w, p, qs]) => ({ who: w, method: 'GET', path: `${p}${qs}` }),
    accepted: [200],
  });
}

const API_CASES: Record<string, (env: Env) => ApiCase<any>> = {
  'GET /api/v1/runs': apiRead({ teacherRead: 2, admin: 2, none: 1 }, () => fc.constant('/api/v1/runs'), apiQuery('after', 'before', 'course', 'place', 'from', 'to', 'teacher')),
  'GET /api/v1/runs/:runId': apiRead({ teacherRead: 3, otherTeacherWrite: 1 }, (env) => segment([env.run.id]).map((id) => `/api/v1/runs/${id}`)),
  'GET /api/v1/runs/:runId/enrolments': apiRead({ teacherRead: 3, otherTeacherWrite: 1 }, (env) => segment([env.run.id]).map((id) => `/api/v1/runs/${id}/enrolments`)),
  'GET /api/v1/users': apiRead({ admin: 4, teacherRead: 1 }, () => fc.constant('/api/v1/users'), apiQuery('after', 'before', 'email')),
  'GET /api/v1/users/:userId/study-points': apiRead({ admin: 3, teacherRead: 1 }, (env) => segment([env.users.participant.id]).map((id) => `/api/v1/users/${id}/study-points`)),
  'GET /api/v1/courses': apiRead({ admin: 3, teacherRead: 1 }, () => fc.constant('/api/v1/courses')),
  'GET /api/v1/programmes': apiRead({ admin: 3, teacherRead: 1 }, () => fc.constant('/api/v1/programmes')),
  'GET /api/v1/statuses': apiRead({ teacherRead: 2, none: 1 }, () => fc.constant('/api/v1/statuses'), apiQuery()),
  'GET /api/v1/certificates/:code': apiRead({ teacherRead: 3, none: 1 }, (env) => segment([env.verificationCode, env.verificationCode.toLowerCase()]).map((code) => `/api/v1/certificates/${code}`), apiQuery()),
  'GET /api/v1/history': apiRead({ admin: 4, teacherWrite: 1 }, () => fc.constant('/api/v1/history'), apiQuery('after', 'before', 'run', 'person', 'actor', 'kind', 'from', 'to')),
  'POST /api/v1/runs/:runId/registrations': (env) => {
    const row = fc.record({
      enrolmentId: maybe(fc.constantFrom(...env.enrolmentIds, env.otherEnrolmentId)),
      version: maybe(fc.constantFrom(1, 2, 0)),
      present: maybe(fc.boolean()),
      status: maybe(fc.constantFrom(null, 'completed', 'absent', 'withdrawn_valid', 'exempted', 'cancelled')),
      withdrawnOn: maybe(fc.constantFrom(null, '2026-01-01', '2099-01-01')),
      effort: maybe(fc.constantFrom(null, 'good', 'excellent')),
      effortComment: maybe(fc.constantFrom('', 'Actief', '<b>Ann</b>')),
      proofNote: maybe(fc.constantFrom('', 'Attest van de huisarts gezien')),
    }, { requiredKeys: ['enrolmentId'] });
    const body = fc.record({
      meetingIds: maybe(fc.subarray([...env.run.meetings.map((m) => m.id), env.otherRun.meetings[0]!.id])),
      allMeetings: maybe(fc.boolean()),
      ignoreMaximum: maybe(fc.boolean()),
      confirmEarlyCompletion: maybe(fc.boolean()),
      confirmOverwrites: maybe(fc.boolean()),
      rows: maybe(fc.array(row, { minLength: 1, maxLength: 3 })),
    }, { requiredKeys: ['rows'] });
    return {
      numRuns: 30,
      input: fc.record({ who: caller({ teacherWrite: 6, teacherRead: 1, otherTeacherWrite: 1, admin: 2 }), run: segment([env.run.id, env.otherRun.id]), json: hostileJson(body) }),
      attempt: ({ who: w, run, json }) => ({ who: w, method: 'POST', path: `/api/v1/runs/${run}/registrations`, ...json }),
      accepted: [200],
    };
  },
  'PATCH /api/v1/runs/:runId/enrolments/:enrolmentId': (env) => {
    const body = fc.record({
      status: maybe(fc.constantFrom(null, 'completed', 'absent', 'exempted')),
      effort: maybe(fc.constantFrom(null, 'good')),
      effortComment: maybe(fc.constantFrom('', 'Goed')),
      confirmEarlyCompletion: maybe(fc.boolean()),
    });
    return {
      numRuns: 20,
      input: fc.record({
        who: caller({ teacherWrite: 5, teacherRead: 1, otherTeacherWrite: 1 }),
        enrolment: segment(env.enrolmentIds),
        ifMatch: fc.oneof(fc.constantFrom('"1"', '"2"', 'W/"1"', '*', '"x"'), hostileText.map(wellFormed), fc.constant(undefined)),
        json: hostileJson(body),
      }),
      attempt: ({ who: w, enrolment, ifMatch, json }) => ({
        who: w,
        method: 'PATCH',
        path: `/api/v1/runs/${env.run.id}/enrolments/${enrolment}`,
        headers: ifMatch === undefined ? {} : { 'if-match': ifMatch.replace(/[^\x20-\x7e]/g, '') },
        ...json,
      }),
      accepted: [200],
    };
  },
  'POST /api/v1/runs/:runId/enrolments': (env) => ({
    numRuns: 15,
    input: fc.record({
      who: caller({ admin: 5, teacherWrite: 1 }),
      key: fc.oneof(fc.constant(undefined), fc.constantFrom('k-1', 'k-2'), hostileText.map((t) => wellFormed(t).replace(/[^\x20-\x7e]/g, ''))),
      json: hostileJson(fc.record({ userIds: maybe(fc.array(fc.oneof(fc.constantFrom(env.users.participant.id, env.users.teacher.id, env.anonymisedId), hostileText), { maxLength: 3 })) })),
    }),
    attempt: ({ who: w, key, json }) => ({ who: w, method: 'POST', path: `/api/v1/runs/${env.run.id}/enrolments`, headers: key === undefined ? {} : { 'idempotency-key': key }, ...json }),
    accepted: [200],
  }),
  'POST /api/v1/users': () => ({
    numRuns: 15,
    input: fc.record({
      who: caller({ admin: 5, teacherWrite: 1 }),
      json: hostileJson(fc.record({ email: maybe(fc.constantFrom('nieuw@example.test', 'NIEUW@example.test', 'geen-adres')), name: maybe(fc.constantFrom('Nieuwe Collega', '<b>Ann</b>', '')), roles: maybe(fc.subarray(['participant', 'teacher', 'admin', 'root'])) })),
    }),
    attempt: ({ who: w, json }) => ({ who: w, method: 'POST', path: '/api/v1/users', ...json }),
    accepted: [201],
  }),
};

function page(env: Env, w: fc.Arbitrary<Who>, path: fc.Arbitrary<string>, q: fc.Arbitrary<string>): PageCase<[Who, string, string]> {
  return {
    numRuns: 12,
    input: fc.tuple(w, path, q),
    attempt: async ([wh, p, qs]) => ({ browser: await env.browser(wh), path: `${p}${qs}` }),
  };
}

describeEachDatabase('hostile input', (store) => {
  const db = () => store().db;

  async function setUp(): Promise<{ app: ReturnType<typeof testApp>; env: Env }> {
    const app = testApp(store());
    const d = db();
    const withPassword = async (roles: Parameters<typeof makeUser>[1]) => {
      const user = await makeUser(d, roles);
      await d.updateTable('users').set({ password_hash: await passwordHash() }).where('id', '=', user.id).execute();
      const { email } = await d.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirstOrThrow();
      return { id: user.id, email };
    };
    const users = {
      participant: await withPassword(['participant']),
      teacher: await withPassword(['teacher']),
      otherTeacher: await withPassword(['teacher']),
      admin: await withPassword(['admin']),
    };
    // Meetings before and after today, so that Voltooid asks for confirmation (R2).
    const run = await makeRun(d, { teacherId: users.teacher.id, meetingDays: [-7, -1, 7] });
    const otherRun = await makeRun(d, { teacherId: users.otherTeacher.id, meetingDays: [-3] });
    const enrolmentIds = [(await enrol(d, run, users.participant.id)).id];
    for (let i = 0; i < 2; i += 1) enrolmentIds.push((await enrol(d, run, (await makeUser(d)).id)).id);
    const otherEnrolmentId = (await enrol(d, otherRun, (await makeUser(d)).id)).id;
    const { id: certificateId, verificationCode } = await makeCertificate(d, { enrolmentId: enrolmentIds[0]!, userId: users.participant.id, courseId: run.courseId });
    // A certificate belongs to a completed enrolment (R3): the service relies on that.
    await d.updateTable('enrolments').set({ status: 'completed' }).where('id', '=', enrolmentIds[0]!).execute();
    const anonymised = await makeUser(d);
    await d.updateTable('users').set({ anonymised_at: new Date().toISOString() }).where('id', '=', anonymised.id).execute();
    const browser = async (w: Who) => {
      if (w !== 'anonymous') return TestBrowser.signedIn(app, store(), users[w].id);
      const b = new TestBrowser(app);
      await b.get('/login');
      return b;
    };
    const importId = await stageImport(d, actorOf({ id: users.admin.id, roles: ['admin'] }), 'users', 'gebruikers.csv', 'email;naam\nnieuw@example.test;<b>Ann</b>\n');
    const lifecycle = await makeLifecycleFixture(d, { participantId: users.participant.id, teacherId: users.teacher.id, adminId: users.admin.id, courseId: run.courseId });
    const programmeId = newId();
    await d.insertInto('programmes').values({ id: programmeId, title: 'Programma', study_term_days: null, study_term_ends_on: null, created_at: new Date().toISOString() }).execute();
    const { token: calendarToken } = await renewCalendarFeed(d, actorOf({ id: users.teacher.id, roles: ['teacher'] }));
    const adminUser = { id: users.admin.id, roles: ['admin' as const] };
    const tokens: Record<ApiCaller, string> = {
      teacherRead: (await makeApiToken(d, { id: users.teacher.id, roles: ['teacher'] }, ['read'])).token,
      teacherWrite: (await makeApiToken(d, { id: users.teacher.id, roles: ['teacher'] }, ['write'])).token,
      otherTeacherWrite: (await makeApiToken(d, { id: users.otherTeacher.id, roles: ['teacher'] }, ['write'])).token,
      admin: (await makeApiToken(d, adminUser, ['admin'])).token,
    };
    const apiTokenId = (await makeApiToken(d, adminUser, ['read'])).id;
    const { id: webhookId } = await createWebhook(d, actorOf(adminUser), { url: 'https://hooks.example.test/presentia', events: ['certificate.issued', 'enrolment.status_changed'] });
    const env: Env = {
      webhookId, store: store(), db: d, browser, users, run, otherRun, enrolmentIds, otherEnrolmentId, certificateId, verificationCode, anonymisedId: anonymised.id, programmeId, lifecycle, importId, tokens, apiTokenId, calendarToken };
    return { app, env };
  }

  it('has a hostile-input case for every route of the app', async () => {
    const { app } = await setUp();
    const all = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
    const isApi = (r: string) => r.split(' ')[1]!.startsWith('/api/v1/');
    expect(all.filter(isApi).sort(), 'every JSON API route needs a case in API_CASES').toEqual(Object.keys(API_CASES).sort());
    const routes = all.filter((r) => !isApi(r));
    const stateChanging = routes.filter((r) => STATE_CHANGING.has(r.split(' ')[0]!));
    expect(stateChanging.sort(), 'every state-changing route needs a case in FORM_CASES').toEqual(Object.keys(FORM_CASES).sort());
    expect(routes.filter((r) => r.startsWith('GET ')).sort(), 'every page needs a case in PAGE_CASES').toEqual(Object.keys(PAGE_CASES).sort());
    expect(routes.filter((r) => !r.startsWith('GET ') && !STATE_CHANGING.has(r.split(' ')[0]!))).toEqual([]);
  });

  for (const [route, make] of Object.entries(FORM_CASES)) {
    it(`${route}: never a server error; a refusal says why and changes nothing`, async () => {
      const { env } = await setUp();
      const c = make(env);
      let tried = 0;
      await fc.assert(
        fc.asyncProperty(c.input, encoding, async (x, how) => {
          const { browser, path, fields } = await c.attempt(x);
          const before = await snapshotDatabase(env.db, { ignore: c.mayWrite });
          const unsavedIgnore = [...(c.mayWrite ?? []), ...(c.unsaved?.mayWrite ?? [])];
          const beforeUnsaved = c.unsaved ? await snapshotDatabase(env.db, { ignore: unsavedIgnore }) : before;
          const response = await sendForm(browser, path, fields, how);
          const label = `${route} ${how} ${response.status}`;
          tried += 1;
          expect(response.status, label).toBeLessThan(500);
          const html = (response.headers.get('content-type') ?? '').startsWith('text/html') ? await response.text() : '';
          expectNoRawMarkup(html, label);
          const location = response.headers.get('location');
          if (location !== null) expect(location, `${label}: redirect stays on this site`).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
          if (how === 'unreadable') expect(response.status, label).toBe(400);
          else if (c.accepted.includes(response.status)) {
            await c.onAccepted?.(response, x);
            return;
          } else if (c.unsaved && response.status === c.unsaved.status) {
            c.unsaved.check(html, x);
            expect(await snapshotDatabase(env.db, { ignore: unsavedIgnore }), `${label}: an unsaved step changed the database`).toBe(beforeUnsaved);
            return;
          }
          expect(await snapshotDatabase(env.db, { ignore: c.mayWrite }), `${label}: a refusal changed the database`).toBe(before);
          const refusals = how === 'unreadable' ? [nl.errors.invalid_input] : c.refusals;
          expect(refusals.some((m) => pageText(html).includes(m)), `${label}: a refusal without a clear message`).toBe(true);
        }),
        { numRuns: c.numRuns },
      );
      expect(tried).toBe(c.numRuns);
    });
  }

  for (const [route, make] of Object.entries(API_CASES)) {
    it(`${route}: never a server error; a refusal is a problem document and changes nothing`, async () => {
      const { app, env } = await setUp();
      const c = make(env);
      // A token's last use and the kept answers of idempotency keys are written on purpose.
      const ignore = ['api_tokens', 'api_idempotency'];
      await fc.assert(
        fc.asyncProperty(c.input, async (x) => {
          const a = c.attempt(x);
          const before = await snapshotDatabase(env.db, { ignore });
          const response = await callApi(app, a.path, { token: a.who === 'none' ? undefined : env.tokens[a.who], method: a.method, headers: a.headers, body: a.body, rawBody: a.rawBody });
          const label = `${route} ${a.method} ${a.path.slice(0, 120)} ${response.status} ${response.text.slice(0, 300)}`;
          expect(response.status, label).toBeLessThan(500);
          if (c.accepted.includes(response.status)) return;
          expect(response.headers.get('content-type'), label).toBe('application/problem+json');
          expect(response.body?.type, label).toMatch(/^\/api\/reference#problem-[a-z_]+$/);
          expect(typeof response.body?.title, label).toBe('string');
          expect(await snapshotDatabase(env.db, { ignore }), `${label}: a refusal changed the database`).toBe(before);
        }),
        { numRuns: c.numRuns },
      );
    });
  }

  it('never answers a page with a server error, whatever its address and query, and a page changes nothing', async () => {
    const { env } = await setUp();
    // One browser per kind of visitor, made before the snapshot: pages are only read, never written.
    const browsers = new Map<Who, TestBrowser>();
    for (const w of ['anonymous', 'participant', 'otherTeacher', 'teacher', 'admin'] as const) browsers.set(w, await env.browser(w));
    const reading: Env = { ...env, browser: async (w) => browsers.get(w)! };
    const before = await snapshotDatabase(env.db);
    for (const [route, make] of Object.entries(PAGE_CASES)) {
      const c = make(reading);
      await fc.assert(
        fc.asyncProperty(c.input, async (x) => {
          const { browser, path } = await c.attempt(x);
          const response = await browser.get(path);
          const label = `${route}: GET ${path.slice(0, 200)} ${response.status}`;
          expect(response.status, label).toBeLessThan(500);
          const type = response.headers.get('content-type') ?? '';
          if (type.startsWith('text/html')) expectNoRawMarkup(await response.text(), label);
          const location = response.headers.get('location');
          if (location !== null) expect(location, `${label}: redirect stays on this site`).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
        }),
        { numRuns: c.numRuns },
      );
      expect(await snapshotDatabase(env.db), `${route} changed the database`).toBe(before);
    }
  });

  it('regressions: an unreadable form body, a "next" that breaks the Location header, a second anonymisation', async () => {
    const { env } = await setUp();
    // A multipart body without its end (token in the header) was a 500 on every state-changing route.
    const admin = await env.browser('admin');
    for (const path of ['/login', '/logout', '/language', '/account/password', `/admin/users/${env.users.participant.id}/anonymise`, `/teacher/runs/${env.run.id}`]) {
      const before = await snapshotDatabase(env.db);
      const response = await sendForm(admin, path, [['confirm', '1']], 'unreadable');
      expect(`${path} ${response.status}`).toBe(`${path} 400`);
      expect(pageText(await response.text())).toContain(nl.errors.invalid_input);
      expect(await snapshotDatabase(env.db)).toBe(before);
    }
    // A control character or non-ASCII letter in "next" was a 500 (invalid Location header) after a
    // login and a language switch; "/..//evil.example" must not become a redirect to another site.
    for (const [next, location] of [
      ['/me/enrolments?x=\u0000\r\nSet-Cookie: a=1', '/me/enrolments?x=%00Set-Cookie:%20a=1'],
      ['/verify?code=👩🏽‍🏫 مرحبا', '/verify?code=%F0%9F%91%A9%F0%9F%8F%BD%E2%80%8D%F0%9F%8F%AB%20%D9%85%D8%B1%D8%AD%D8%A8%D8%A7'],
      ['/..//evil.example', '/'],
      ['/\t/evil.example', '/'],
    ]) {
      const language = await (await env.browser('participant')).post('/language', [['locale', 'nl'], ['next', next!]]);
      expect([language.status, language.headers.get('location')]).toEqual([303, location]);
      const browser = await env.browser('anonymous');
      const login = await browser.post('/login', [['email', env.users.teacher.email], ['password', PASSWORD], ['next', next!]]);
      expect([login.status, login.headers.get('location')]).toEqual([303, location]);
      const again = await browser.get(`/login?next=${encodeURIComponent(next!)}`);
      expect([again.status, again.headers.get('location')]).toEqual([303, location]);
    }
    // Anonymising someone already anonymised, without the box ticked, gave a 422 page without any
    // message (the page of an anonymised person has no form to show it beside).
    const second = await admin.post(`/admin/users/${env.anonymisedId}/anonymise`, []);
    expect(second.status).toBe(403);
    expect(pageText(await second.text())).toContain(nl.adminUsers.alreadyAnonymised);
  });

  it('stores text with control characters safely or refuses it, on both databases', async () => {
    const app = testApp(store());
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7] });
    const e = await enrol(db(), run, (await makeUser(db())).id);
    const browser = await TestBrowser.signedIn(app, store(), teacher.id);
    const response = await browser.post(`/teacher/runs/${run.id}`, [
      ['row', e.id],
      [`version.${e.id}`, '1'],
      [`effort.${e.id}`, 'good'],
      [`comment.${e.id}`, 'vóór\u0000na 👩🏽‍🏫 \u202Eomgekeerd'],
    ]);
    expect(response.status).toBe(303);
    const [row] = await db().selectFrom('enrolments').select('effort_comment').where('id', '=', e.id).execute();
    expect(row!.effort_comment).toBe('vóórna 👩🏽‍🏫 \u202Eomgekeerd');
    const login = await browser.post('/login', [
      ['email', 'a\u0000b@presentia.test'],
      ['password', 'x'],
    ]);
    expect(login.status).toBeLessThan(500);
  });
});

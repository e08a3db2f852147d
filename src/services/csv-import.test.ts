import { expect, it } from 'vitest';
import { nowIso, type Db } from '../db/index.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, makeRun, makeUser } from '../testing/factories.ts';
import { ImportRefused, previewImport, readCsv, runImport, stageImport } from './csv-import.ts';

const CRLF = '\r\n';

describeEachDatabase('CSV import of users and enrolments', (store) => {
  const db = (): Db => store().db;
  const tag = () => Math.random().toString(36).slice(2, 8);

  async function emailOf(id: string) {
    return (await db().selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
  }

  it('previews a Belgian Excel users file (BOM, ;, quotes, CRLF) line by line, then imports it in one go', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const known = await makeUser(db(), ['participant'], 'Els Claes');
    const same = await makeUser(db(), ['participant'], 'Jan Peeters');
    const t = tag();
    const file =
      '\uFEFFE-mailadres;Naam;Rollen' + CRLF +
      `nieuw.${t}@example.test;"Van den Broeck; An";docent,deelnemer` + CRLF +
      `${(await emailOf(known.id)).toUpperCase()};"Els ""Elsje"" Claes";` + CRLF +
      `${await emailOf(same.id)};Jan Peeters;deelnemer` + CRLF +
      `geen-adres;Iemand;` + CRLF +
      `ander.${t}@example.test;Ander;koning` + CRLF +
      `nieuw.${t}@example.test;Dubbel;` + CRLF;
    const id = await stageImport(db(), admin, 'users', 'gebruikers.csv', file);
    const preview = await previewImport(db(), admin, id);
    expect(preview.refusal).toBeUndefined();
    expect(preview.planned!.lines.map((l) => [l.line, l.outcome, l.reason ?? ''])).toEqual([
      [2, 'new', ''],
      [3, 'changed', ''],
      [4, 'unchanged', ''],
      [5, 'refused', 'invalid_email'],
      [6, 'refused', 'unknown_role'],
      [7, 'refused', 'duplicate_in_file'],
    ]);
    expect(preview.planned!.lines[0]!.values).toMatchObject({ name: 'Van den Broeck; An', roles: ['participant', 'teacher'] });
    expect(preview.counts).toEqual({ new: 1, changed: 1, unchanged: 1, refused: 3 });

    // Refused lines: nothing is imported unless the administrator chooses the valid lines only.
    const usersBefore = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(runImport(db(), admin, id, 'all')).rejects.toMatchObject({ reason: 'refused_lines' });
    const usersAfter = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(usersAfter.n)).toBe(Number(usersBefore.n));
    expect((await db().selectFrom('users').select('name').where('id', '=', known.id).executeTakeFirstOrThrow()).name).toBe('Els Claes');

    const result = await runImport(db(), admin, id, 'valid');
    expect(result.counts).toEqual({ new: 1, changed: 1, unchanged: 1, refused: 3 });
    const created = await db().selectFrom('users').select(['id', 'name']).where('email', '=', `nieuw.${t}@example.test`).executeTakeFirstOrThrow();
    expect(created.name).toBe('Van den Broeck; An');
    const roles = await db().selectFrom('user_roles').select('role').where('user_id', '=', created.id).orderBy('role').execute();
    expect(roles.map((r) => r.role)).toEqual(['participant', 'teacher']);
    expect((await db().selectFrom('users').select('name').where('id', '=', known.id).executeTakeFirstOrThrow()).name).toBe('Els "Elsje" Claes');
    const history = await db().selectFrom('history').select(['field', 'old_value', 'new_value', 'source', 'actor_id']).where('user_id', '=', known.id).execute();
    expect(history).toEqual([{ field: 'account', old_value: 'Els Claes', new_value: 'Els "Elsje" Claes', source: 'import', actor_id: admin.id }]);
    // The staged file is gone once imported.
    await expect(previewImport(db(), admin, id)).rejects.toMatchObject({ id: 'not_found_or_no_access' });
  });

  it('imports enrolments from a comma file with Unix line ends, filling the run and then its waiting list', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [7] });
    await db().updateTable('runs').set({ capacity: 2 }).where('id', '=', run.id).execute();
    const code = (await db().selectFrom('runs').select('code').where('id', '=', run.id).executeTakeFirstOrThrow()).code;
    const people = [];
    for (let i = 0; i < 4; i += 1) people.push(await makeUser(db()));
    const gone = await makeUser(db());
    await db().updateTable('users').set({ deactivated_at: nowIso() }).where('id', '=', gone.id).execute();
    const lines = ['email,uitvoering'];
    for (const p of people) lines.push(`${await emailOf(p.id)},${code}`);
    lines.push(`${await emailOf(gone.id)},${code}`, `niemand@example.test,${code}`, `${await emailOf(people[0]!.id)},ONBEKEND`);
    const id = await stageImport(db(), admin, 'enrolments', 'inschrijvingen.csv', lines.join('\n'));
    const preview = await previewImport(db(), admin, id);
    expect(preview.planned!.lines.map((l) => l.reason ?? l.outcome)).toEqual(['new', 'new', 'new', 'new', 'inactive_person', 'unknown_person', 'unknown_run']);
    const result = await runImport(db(), admin, id, 'valid');
    expect(result.waiting).toBe(2);
    const enrolled = await db().selectFrom('enrolments').select('user_id').where('run_id', '=', run.id).execute();
    expect(enrolled.map((e) => e.user_id).sort()).toEqual([people[0]!.id, people[1]!.id].sort());
    const waiting = await db().selectFrom('waiting_list').select('user_id').where('run_id', '=', run.id).orderBy('id').execute();
    expect(waiting.map((w) => w.user_id)).toEqual([people[2]!.id, people[3]!.id]);
    const sources = await db().selectFrom('history').select('source').where('run_id', '=', run.id).execute();
    expect(new Set(sources.map((s) => s.source))).toEqual(new Set(['import']));

    // The same file again: every known line is unchanged, so there is nothing to import.
    const again = await stageImport(db(), admin, 'enrolments', 'inschrijvingen.csv', lines.slice(0, 5).join('\n'));
    expect((await previewImport(db(), admin, again)).counts).toEqual({ new: 0, changed: 0, unchanged: 4, refused: 0 });
    await expect(runImport(db(), admin, again, 'all')).rejects.toMatchObject({ reason: 'nothing_to_import' });
  });

  it('refuses a malformed file or one without the needed columns, changing nothing; only its uploader sees it', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const other = actorOf(await makeUser(db(), ['admin']));
    const broken = await stageImport(db(), admin, 'users', 'kapot.csv', 'email;naam\r\nx@example.test;"niet gesloten\r\ny@example.test;Y\r\n');
    const preview = await previewImport(db(), admin, broken);
    expect(preview.refusal).toMatchObject({ problem: 'malformed' });
    await expect(runImport(db(), admin, broken, 'valid')).rejects.toBeInstanceOf(ImportRefused);
    expect(await db().selectFrom('users').select('id').where('email', 'in', ['x@example.test', 'y@example.test']).execute()).toEqual([]);
    const columns = await stageImport(db(), admin, 'enrolments', 'a.csv', 'naam;rol\nA;docent\n');
    expect((await previewImport(db(), admin, columns)).refusal).toEqual({ problem: 'missing_columns', columns: ['email', 'run'] });
    await expect(previewImport(db(), other, broken)).rejects.toMatchObject({ id: 'not_found_or_no_access' });
    await expect(stageImport(db(), actorOf(await makeUser(db(), ['teacher'])), 'users', 'a.csv', 'x')).rejects.toMatchObject({ id: 'not_found_or_no_access' });
  });
});

it('reads both delimiters and quoted line breaks with csv-parse', () => {
  const semicolon = readCsv('users', 'email;naam;rollen\r\na@b.be;"Lijn1\r\nLijn2";"docent,deelnemer"\r\n');
  expect(semicolon.ok && semicolon.lines.map((l) => l.cells)).toEqual([['a@b.be', 'Lijn1\r\nLijn2', 'docent,deelnemer']]);
  const comma = readCsv('users', '\uFEFF"E-mail","Naam"\na@b.be,"Peeters, Jan"\n\n');
  expect(comma.ok && comma.lines.map((l) => [l.line, ...l.cells])).toEqual([[2, 'a@b.be', 'Peeters, Jan']]);
});

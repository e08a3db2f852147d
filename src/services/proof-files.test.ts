import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { newId } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { sweepStagedProofs } from '../jobs/sweep-staged-proofs.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeRun, makeUser } from '../testing/factories.ts';
import { proofDirectory, saveRegistration, stageProofs, stagingDirectory } from './proof-files.ts';
import { RegistrationConflict, RegistrationRefused, type RowInput } from './register-attendance.ts';

const PDF = new TextEncoder().encode('%PDF-1.4\n% bewijs\n');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const HTML = new TextEncoder().encode('<html><script>alert(1)</script></html>');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'presentia-proofs-'));
  dirs.push(dir);
  return dir;
}
const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
const upload = (enrolmentId: string, content: Uint8Array) => ({ enrolmentId, size: content.byteLength, read: async () => content });
const row = (enrolmentId: string, extra: Partial<RowInput> = {}): RowInput => ({
  enrolmentId,
  version: 1,
  present: false,
  status: null,
  effort: null,
  effortComment: '',
  proofNote: '',
  proofFile: null,
  ...extra,
});
const save = (runId: string, rows: RowInput[]) => ({ runId, meetingIds: [], allMeetings: false, ignoreMaximum: false, confirmEarlyCompletion: false, confirmOverwrites: false, rows });
const today = () => new Date().toISOString().slice(0, 10);

describeEachDatabase('proof files', (store) => {
  const db = () => store().db;

  async function setUp() {
    const teacher = await makeUser(db(), ['teacher']);
    // Starts in 3 days: "met geldige reden" needs proof (R4).
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [3, 10] });
    const a = await enrol(db(), run, (await makeUser(db())).id, { withdrawnOn: today() });
    const b = await enrol(db(), run, (await makeUser(db())).id, { withdrawnOn: today() });
    return { teacher, actor: actorOf(teacher), run, a, b, dir: dataDir() };
  }
  /** The proof files of the participants of one test (the suite shares its database). */
  const proofRows = (...enrolmentIds: string[]) =>
    db().selectFrom('proof_files').select(['key', 'enrolment_id', 'confirmed_at']).where('enrolment_id', 'in', enrolmentIds).orderBy('key').execute();

  it('checks access before reading any file: a teacher of another run leaves nothing behind', async () => {
    const { run, a, dir } = await setUp();
    const other = actorOf(await makeUser(db(), ['teacher']));
    let read = false;
    const attempt = stageProofs(db(), dir, other, run.id, [{ enrolmentId: a.id, size: PDF.byteLength, read: async () => ((read = true), PDF) }]);
    await expect(attempt).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    expect(read).toBe(false);
    expect(files(path.join(dir, 'uploads'))).toEqual([]);
    expect(await proofRows(a.id)).toEqual([]);
  });

  it('stages a file by its content, not its name, and only for an enrolment of the run', async () => {
    const { actor, run, a, b, dir } = await setUp();
    const stranger = await enrol(db(), await makeRun(db(), { teacherId: (await makeUser(db(), ['teacher'])).id }), (await makeUser(db())).id);
    const staged = await stageProofs(db(), dir, actor, run.id, [upload(a.id, PNG), upload(b.id, HTML), upload(stranger.id, PDF)]);
    expect(staged.get(a.id)).toEqual({ key: expect.stringMatching(/^[0-9A-Z]{26}\.png$/) });
    expect(staged.get(b.id)).toEqual({ rejected: 'proof_file_type' });
    expect(staged.has(stranger.id)).toBe(false);
    const key = (staged.get(a.id) as { key: string }).key;
    expect(files(stagingDirectory(dir))).toEqual([key]);
    expect(await proofRows(a.id, b.id, stranger.id)).toEqual([{ key, enrolment_id: a.id, confirmed_at: null }]);
  });

  it('confirms and moves the file of a save that records it', async () => {
    const { actor, run, a, dir } = await setUp();
    const { key } = (await stageProofs(db(), dir, actor, run.id, [upload(a.id, PDF)])).get(a.id) as { key: string };
    const outcome = await saveRegistration(db(), dir, actor, save(run.id, [row(a.id, { status: 'withdrawn_valid', proofFile: key })]));
    expect(outcome.kind).toBe('saved');
    expect(files(stagingDirectory(dir))).toEqual([]);
    expect(files(proofDirectory(dir))).toEqual([key]);
    expect(await proofRows(a.id)).toEqual([{ key, enrolment_id: a.id, confirmed_at: expect.any(String) }]);
    const e = await db().selectFrom('enrolments').select(['status', 'force_majeure_file']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(e).toEqual({ status: 'withdrawn_valid', force_majeure_file: key });
  });

  it('refuses a made-up key and a key of another enrolment, and removes the refused save\'s staged files (R4)', async () => {
    const { actor, run, a, b, dir } = await setUp();
    const { key: keyOfB } = (await stageProofs(db(), dir, actor, run.id, [upload(b.id, PDF)])).get(b.id) as { key: string };
    const { key: keyOfA } = (await stageProofs(db(), dir, actor, run.id, [upload(a.id, PDF)])).get(a.id) as { key: string };
    for (const proofFile of [`${newId()}.pdf`, keyOfB]) {
      const refused = await saveRegistration(db(), dir, actor, save(run.id, [row(a.id, { status: 'withdrawn_valid', proofFile })])).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RegistrationRefused);
      expect((refused as RegistrationRefused).rowErrors.get(a.id)).toEqual(['proof_file_unknown']);
    }
    // Another enrolment's staged file is not touched by a refusal that named it.
    expect(await proofRows(a.id, b.id)).toEqual([keyOfA, keyOfB].sort().map((key) => ({ key, enrolment_id: key === keyOfA ? a.id : b.id, confirmed_at: null })));
    // A refusal naming its own staged file removes it.
    const refused = await saveRegistration(db(), dir, actor, save(run.id, [row(a.id, { status: 'exempted', proofFile: keyOfA })])).catch((e: unknown) => e);
    expect((refused as RegistrationRefused).rowErrors.get(a.id)).toEqual(['admin_only_status']);
    expect(await proofRows(a.id, b.id)).toEqual([{ key: keyOfB, enrolment_id: b.id, confirmed_at: null }]);
    expect(files(stagingDirectory(dir))).toEqual([keyOfB]);
    const [enrolmentA] = await db().selectFrom('enrolments').select(['status', 'force_majeure_file']).where('id', '=', a.id).execute();
    expect(enrolmentA).toEqual({ status: 'enrolled', force_majeure_file: null });
  });

  it('refuses a note that is no sentence, and accepts one that is (R4)', async () => {
    const { actor, run, a, b, dir } = await setUp();
    const refused = await saveRegistration(db(), dir, actor, save(run.id, [row(a.id, { status: 'withdrawn_valid', proofNote: 'ok' })])).catch((e: unknown) => e);
    expect((refused as RegistrationRefused).rowErrors.get(a.id)).toEqual(['proof_note_too_short']);
    const saved = await saveRegistration(db(), dir, actor, save(run.id, [row(b.id, { status: 'withdrawn_valid', proofNote: 'Doktersattest gezien op 2 december' })]));
    expect(saved.kind).toBe('saved');
  });

  it('removes the staged files of a refused save and of a conflicting one', async () => {
    const { actor, run, a, b, dir } = await setUp();
    const staged = await stageProofs(db(), dir, actor, run.id, [upload(a.id, PDF), upload(b.id, PDF)]);
    const keyA = (staged.get(a.id) as { key: string }).key;
    const keyB = (staged.get(b.id) as { key: string }).key;
    // Refused: a status only an administrator may set.
    const refused = await saveRegistration(db(), dir, actor, save(run.id, [row(a.id, { status: 'exempted', proofFile: keyA })])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RegistrationRefused);
    await db().updateTable('enrolments').set({ version: 2 }).where('id', '=', b.id).execute();
    const conflict = await saveRegistration(db(), dir, actor, save(run.id, [row(b.id, { status: 'withdrawn_valid', proofFile: keyB })])).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(RegistrationConflict);
    expect(files(path.join(dir, 'uploads', 'staging'))).toEqual([]);
    expect(files(path.join(dir, 'uploads', 'proofs'))).toEqual([]);
    expect(await proofRows(a.id, b.id)).toEqual([]);
  });

  it('sweeps staged files of abandoned confirmations after a day, finishes made saves, and is idempotent', async () => {
    const { actor, run, a, b, dir } = await setUp();
    const now = new Date();
    const old = new Date(now.getTime() - 25 * 3_600_000);
    const abandoned = ((await stageProofs(db(), dir, actor, run.id, [upload(a.id, PDF)], old)).get(a.id) as { key: string }).key;
    const waiting = ((await stageProofs(db(), dir, actor, run.id, [upload(b.id, PDF)], now)).get(b.id) as { key: string }).key;
    // A file left without its row (a stop between writing it and recording it), two days old.
    const orphan = `${newId()}.pdf`;
    writeFileSync(path.join(stagingDirectory(dir), orphan), PDF);
    utimesSync(path.join(stagingDirectory(dir), orphan), old, old);
    // A save committed, but stopped before its file left staging.
    const made = await enrol(db(), run, (await makeUser(db())).id, { withdrawnOn: today() });
    const madeKey = ((await stageProofs(db(), dir, actor, run.id, [upload(made.id, PDF)], old)).get(made.id) as { key: string }).key;
    await db().updateTable('proof_files').set({ confirmed_at: old.toISOString() }).where('key', '=', madeKey).execute();

    expect(await sweepStagedProofs(db(), dir, now)).toEqual({ filesRemoved: 2, rowsRemoved: 1, filesPublished: 1 });
    expect(files(stagingDirectory(dir))).toEqual([waiting]);
    expect(files(proofDirectory(dir))).toEqual([madeKey]);
    expect((await proofRows(a.id, b.id, made.id)).map((r) => r.key).sort()).toEqual([waiting, madeKey].sort());
    expect(abandoned).not.toBe(waiting);
    expect(await sweepStagedProofs(db(), dir, now)).toEqual({ filesRemoved: 0, rowsRemoved: 0, filesPublished: 0 });
  });
});

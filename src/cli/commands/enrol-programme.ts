import { NotFoundOrNoAccess } from '../../errors.ts';
import { getUserByEmail, getUserWithRoles } from '../../repositories/users.ts';
import { enrolInProgrammeByEmail } from '../../services/programme-enrolment.ts';
import { CliError, UsageError, type Command } from '../command.ts';
import { withDatabase } from '../database.ts';

/** `enrol-programme`: enrols a person in every course of a programme, through the same service as the administration. */
export const enrolProgrammeCommand: Command = {
  name: 'enrol-programme',
  summary: 'Enrol a person in every course of a programme.',
  usage: 'enrol-programme --email <address> --programme <id> --by <administrator address>',
  description: `
A course with exactly one open run is enrolled in that run (Ingeschreven); a course with several
open runs, or none yet, waits for the participant's run choice (Uitvoeringskeuze vereist); an
e-learning course starts as Niet gestart. Courses the person already follows are left alone. The
change is recorded in the history as the administrator's (--by).`,
  options: {
    email: { type: 'string', valueName: 'address', description: 'E-mail address of the person to enrol.' },
    programme: { type: 'string', valueName: 'id', description: 'Id of the programme.' },
    by: { type: 'string', valueName: 'address', description: 'E-mail address of the administrator doing it.' },
  },
  async run(values, io) {
    const { email, programme, by } = values;
    if (typeof email !== 'string' || email.trim() === '') throw new UsageError('enrol-programme needs --email <address>.');
    if (typeof programme !== 'string' || programme.trim() === '') throw new UsageError('enrol-programme needs --programme <id>.');
    if (typeof by !== 'string' || by.trim() === '') throw new UsageError('enrol-programme needs --by <administrator address>.');
    await withDatabase(io.env, async (store) => {
      const admin = await getUserByEmail(store.db, by);
      const withRoles = admin && (await getUserWithRoles(store.db, admin.id));
      if (!withRoles?.roles.includes('admin')) throw new CliError(`${by} is not an administrator.`);
      try {
        const result = await enrolInProgrammeByEmail(store.db, { id: withRoles.id, roles: withRoles.roles, source: 'admin' }, { email, programmeId: programme.trim() });
        io.stdout.write(`Enrolled ${email} in ${result.programmeTitle}:\n`);
        for (const c of result.courses) io.stdout.write(`  ${c.title}: ${c.outcome}\n`);
      } catch (error) {
        if (error instanceof NotFoundOrNoAccess) throw new CliError(`No person ${email} or no programme ${programme}.`);
        throw error;
      }
    });
  },
};

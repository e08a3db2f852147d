import { runStudyTermSweep } from '../../jobs/study-term-sweep.ts';
import type { Command } from '../command.ts';
import { withDatabase } from '../database.ts';

/** `sweep`: the study-term sweep, the job the server also runs every night. */
export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'Set every open enrolment past its study term to Studietermijn verstreken.',
  usage: 'sweep',
  description: `
Moves every enrolment in an open status (Ingeschreven, Niet gestart, Gestart, Uitvoeringskeuze
vereist) whose study term has passed to Studietermijn verstreken, with a history row (source
system) for each, in one transaction. A final status is never changed. Running it again changes
nothing until another term passes. The server runs it by itself every night (SWEEP_SCHEDULE).

The study term ends on the date fixed at enrolment or, where none was fixed, the enrolment date plus
the programme's or else the course's study term (in days); the last day still counts.

On PostgreSQL only one server runs the sweep at a time: if another is running it at this moment,
this command changes nothing and says so.`,
  options: {},
  async run(_values, io) {
    await withDatabase(io.env, async (store) => {
      const outcome = await runStudyTermSweep(store.db);
      io.stdout.write(
        outcome.kind === 'busy'
          ? 'Another server is running the study-term sweep right now; nothing was changed here.\n'
          : `Study-term sweep of ${outcome.today}: ${outcome.changed} enrolment${outcome.changed === 1 ? '' : 's'} set to Studietermijn verstreken.\n`,
      );
    });
  },
};

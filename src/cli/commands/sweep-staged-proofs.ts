import { loadConfig } from '../../config.ts';
import { STAGED_PROOF_MAX_AGE_HOURS, sweepStagedProofs } from '../../jobs/sweep-staged-proofs.ts';
import { withDatabase } from '../database.ts';
import type { Command } from '../command.ts';

/** `sweep-staged-proofs`: the daily clean-up of proof files of saves never confirmed, run by hand. */
export const sweepStagedProofsCommand: Command = {
  name: 'sweep-staged-proofs',
  summary: 'Remove proof files of saves that were never confirmed.',
  usage: 'sweep-staged-proofs',
  description: `
A proof file sent with a save waits in DATA_DIR/uploads/staging until the save is made. A save that
asks for a confirmation which never comes leaves its files there; this removes those older than
${STAGED_PROOF_MAX_AGE_HOURS} hours, and moves files of saves that were made but not yet moved. The
server runs it every night; running it again changes nothing.`,
  options: {},
  async run(_values, io) {
    const config = loadConfig(io.env);
    await withDatabase(io.env, async (store) => {
      const result = await sweepStagedProofs(store.db, config.DATA_DIR);
      io.stdout.write(
        `Removed ${result.filesRemoved} staged proof file(s) and ${result.rowsRemoved} record(s) of abandoned saves; moved ${result.filesPublished} file(s) of made saves.\n`,
      );
    });
  },
};

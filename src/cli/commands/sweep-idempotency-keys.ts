import { IDEMPOTENCY_KEY_HOURS, sweepIdempotencyKeys } from '../../jobs/sweep-idempotency-keys.ts';
import type { Command } from '../command.ts';
import { withDatabase } from '../database.ts';

/** `sweep-idempotency-keys`: the daily clean-up of the API's kept answers, run by hand. */
export const sweepIdempotencyKeysCommand: Command = {
  name: 'sweep-idempotency-keys',
  summary: 'Remove the API’s kept answers of requests with an Idempotency-Key older than a day.',
  usage: 'sweep-idempotency-keys',
  description: `
The API keeps the answer to each creating request sent with an Idempotency-Key for
${IDEMPOTENCY_KEY_HOURS} hours, so that the same request sent again is answered without doing the
work twice. This removes older answers. The server runs it every night; running it again changes nothing.`,
  options: {},
  async run(_values, io) {
    await withDatabase(io.env, async (store) => {
      const { removed } = await sweepIdempotencyKeys(store.db);
      io.stdout.write(`Removed ${removed} kept API answer(s).\n`);
    });
  },
};

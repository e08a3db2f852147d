/**
 * C api: the Doorgaan save of figure C (500 participants × 20 meetings, 100 status changes, 50
 * certificates) sent as a JSON API registration through the whole app in process: bearer token,
 * rate limit, body limit, JSON parse and zod validation, the same registerAttendance, the JSON
 * answer. The request body is made before the clock starts (the integration makes it); each sample
 * starts from the save run freshly reset, as C does. The app's clock is fixed just after the run's
 * last meeting, as C saves.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import { newId, nowIso, type Store } from '../../src/db/index.ts';
import { insertApiToken } from '../../src/repositories/api-tokens.ts';
import { tokenHash } from '../../src/services/api-tokens.ts';
import type { Dataset } from './datasets.ts';
import { afterLastMeeting, resetSaveRun, saveInput, type Counts } from './inprocess.ts';
import { TEACHER_ID } from './session.ts';
import { summarize, type Summary } from './stats.ts';

export interface ApiSaveResult {
  save: Summary;
  /** The request body's size. */
  bytes: number;
}

export async function measureApiSave(dataset: Dataset, store: Store, counts: Counts): Promise<ApiSaveResult> {
  let at = new Date();
  const app = createApp({
    store,
    config: loadConfig({ DATA_DIR: dataset.dataDir, LOG_LEVEL: 'silent', API_RATE_LIMIT: '1000000' }),
    logger: pino({ level: 'silent' }),
    clock: () => at,
  });
  // A personal write token of the bench teacher, made as the token page makes one.
  const token = `prs_${randomBytes(32).toString('base64url')}`;
  const tokenId = newId();
  await insertApiToken(store.db, {
    id: tokenId,
    token_hash: tokenHash(token),
    prefix: token.slice(0, 10),
    name: 'bench',
    scopes: 'write',
    user_id: TEACHER_ID,
    created_by: TEACHER_ID,
    created_at: nowIso(),
    expires_at: nowIso(new Date(Date.now() + 86_400_000)),
    revoked_at: null,
    last_used_at: null,
  });
  const saves: number[] = [];
  let bytes = 0;
  try {
    for (let i = 0; i < counts.warmup + counts.runs; i += 1) {
      await resetSaveRun(store);
      const input = await saveInput(store);
      at = await afterLastMeeting(store);
      const body = JSON.stringify({
        meetingIds: input.meetingIds,
        allMeetings: input.allMeetings,
        confirmEarlyCompletion: true,
        confirmOverwrites: true,
        rows: input.rows.map((r) => ({ enrolmentId: r.enrolmentId, version: r.version, present: r.present, status: r.status })),
      });
      bytes = Buffer.byteLength(body);
      const started = performance.now();
      const response = await app.request(`/api/v1/runs/${input.runId}/registrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as { statusesChanged?: number; certificatesIssued?: number };
      const ms = performance.now() - started;
      if (response.status !== 200 || answer.statusesChanged !== 100 || answer.certificatesIssued !== 50) {
        throw new Error(`the API save answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      }
      if (i >= counts.warmup) saves.push(ms);
    }
  } finally {
    await resetSaveRun(store);
    await store.db.deleteFrom('api_tokens').where('id', '=', tokenId).execute();
  }
  return { save: summarize(saves), bytes };
}

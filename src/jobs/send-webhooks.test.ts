import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KyselyPlugin, QueryId } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { nowIso, type Store } from '../db/index.ts';
import { verifyWebhookSignature, type WebhookEvent } from '../domain/webhooks.ts';
import { createWebhook } from '../services/webhooks.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { queryCounter } from '../testing/query-counter.ts';
import { actorOf, enrol, makeRun, makeUser } from '../testing/factories.ts';
import { teacherSaves } from '../testing/teacher-saves.ts';
import { sendDueWebhooks } from './send-webhooks.ts';
import { runStudyTermSweep } from './study-term-sweep.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the signature verified with the subscription's secret at the moment it arrived. */
  signed: boolean;
}

/** A webhook receiver on 127.0.0.1: it verifies each delivery's signature and answers the statuses it is told to, then 200. */
class Receiver {
  received: Received[] = [];
  answers: number[] = [];
  secret = '';
  now: () => Date = () => new Date();
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const header = String(req.headers['presentia-signature'] ?? '');
        this.received.push({ headers: req.headers, body, signed: verifyWebhookSignature(this.secret, body, header, this.now()) });
        res.writeHead(this.answers.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Counts the insert statements into the outbox that pass through its plugin. */
const countingOutboxInserts = () => queryCounter((node) => node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'outbox');

describeEachDatabase('webhooks through the outbox', (store: () => Store) => {
  const db = () => store().db;
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  beforeEach(async () => {
    // Each test starts with no subscriptions and no deliveries: a subscription would receive every later test's events.
    await db().deleteFrom('outbox_attempts').where('message_id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('channel', '=', 'webhook')).execute();
    await db().deleteFrom('outbox').where('channel', '=', 'webhook').execute();
    await db().deleteFrom('webhook_subscription_events').execute();
    await db().deleteFrom('webhook_subscriptions').execute();
    receiver.received = [];
    receiver.answers = [];
    receiver.now = () => new Date();
  });

  async function subscribe(events: WebhookEvent[], url = receiver.url) {
    const admin = await makeUser(db(), ['admin']);
    const created = await createWebhook(db(), actorOf(admin), { url, events });
    receiver.secret = created.secret;
    return created;
  }

  async function classroom() {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7] });
    const participant = await makeUser(db(), ['participant']);
    const enrolment = await enrol(db(), run, participant.id);
    return { teacher, run, participant, enrolment };
  }

  const deliveries = () => db().selectFrom('outbox').selectAll().where('channel', '=', 'webhook').orderBy('id').execute();

  it('a status change writes its event in the save’s transaction and the job posts it once, signed', async () => {
    const hook = await subscribe(['enrolment.status_changed']);
    const { teacher, run, participant, enrolment } = await classroom();
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'absent' });
    const [queued, ...more] = await deliveries();
    expect(more).toEqual([]);
    expect(queued).toMatchObject({ kind: 'enrolment.status_changed', state: 'pending', attempts: 0, subscription_id: hook.id, recipient: receiver.url });
    // Written, not posted: the save did not wait for the receiver.
    expect(receiver.received).toEqual([]);

    expect(await sendDueWebhooks(db())).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got!.signed).toBe(true);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['presentia-event']).toBe('enrolment.status_changed');
    expect(got!.headers['presentia-delivery']).toBe(queued!.id);
    const payload = JSON.parse(got!.body);
    expect(payload).toMatchObject({ id: queued!.id, type: 'enrolment.status_changed', data: { enrolmentId: enrolment.id, userId: participant.id, runId: run.id, from: 'enrolled', to: 'absent', source: 'teacher_form' } });
    expect(Number.isNaN(Date.parse(payload.occurredAt))).toBe(false);
    expect(await deliveries()).toMatchObject([{ state: 'sent', attempts: 1, claimed_by: null }]);
    const attempts = await db().selectFrom('outbox_attempts').selectAll().where('message_id', '=', queued!.id).execute();
    expect(attempts).toMatchObject([{ attempt: 1, outcome: 'sent', response_status: 200, error: null }]);
    // Idempotent: a second run posts nothing.
    expect(await sendDueWebhooks(db())).toMatchObject({ sent: 0, retrying: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('a change rolled back leaves no event behind', async () => {
    await subscribe(['enrolment.status_changed']);
    const { teacher, run, enrolment } = await classroom();
    // The save fails right after its event is written: the whole transaction goes, the event with it.
    const failing = new Set<QueryId>();
    const failAfterEvent: KyselyPlugin = {
      transformQuery: (args) => {
        const node = args.node;
        if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'outbox' && node.values?.kind === 'SelectQueryNode') failing.add(args.queryId);
        return node;
      },
      transformResult: async (args) => {
        if (failing.has(args.queryId)) throw new Error('the save fails after the event was written');
        return args.result;
      },
    };
    await expect(teacherSaves(db().withPlugin(failAfterEvent), teacher, run.id, enrolment.id, { status: 'absent' })).rejects.toThrow('the save fails');
    expect(failing.size).toBe(1);
    expect(await deliveries()).toEqual([]);
    expect((await db().selectFrom('enrolments').select('status').where('id', '=', enrolment.id).executeTakeFirstOrThrow()).status).toBe('enrolled');
  });

  it('a receiver failing first is tried again after the back-off, and the event is delivered exactly once', async () => {
    await subscribe(['enrolment.status_changed']);
    const { teacher, run, enrolment } = await classroom();
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'failed' });
    let now = new Date(Date.now() + 1000);
    const clock = () => now;
    receiver.now = clock;
    receiver.answers = [500];

    expect(await sendDueWebhooks(db(), { clock })).toMatchObject({ sent: 0, retrying: 1 });
    const [first] = await deliveries();
    expect(first).toMatchObject({ state: 'pending', attempts: 1, last_error: 'DeliveryRefused: HTTP 500' });
    expect(Date.parse(first!.next_attempt_at) - now.getTime()).toBe(30_000);
    expect(await sendDueWebhooks(db(), { clock })).toMatchObject({ sent: 0, retrying: 0 }); // not due yet
    expect(receiver.received).toHaveLength(1);

    now = new Date(now.getTime() + 30_000);
    expect(await sendDueWebhooks(db(), { clock })).toMatchObject({ sent: 1, retrying: 0 });
    expect(await sendDueWebhooks(db(), { clock: () => new Date(now.getTime() + 3_600_000) })).toMatchObject({ sent: 0, retrying: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.every((r) => r.signed)).toBe(true);
    // The same delivery both times: same id, same body (a receiver can tell it already has it).
    expect(receiver.received[0]!.headers['presentia-delivery']).toBe(receiver.received[1]!.headers['presentia-delivery']);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
    const attempts = await db().selectFrom('outbox_attempts').select(['attempt', 'outcome', 'response_status', 'error']).where('message_id', '=', first!.id).orderBy('attempt').execute();
    expect(attempts).toEqual([
      { attempt: 1, outcome: 'failed', response_status: 500, error: 'DeliveryRefused: HTTP 500' },
      { attempt: 2, outcome: 'sent', response_status: 200, error: null },
    ]);
    expect(await deliveries()).toMatchObject([{ state: 'sent', attempts: 2 }]);
  });

  it('a receiver that cannot be reached is a failed attempt, tried again', async () => {
    await subscribe(['enrolment.status_changed'], 'http://127.0.0.1:9/unreachable');
    const { teacher, run, enrolment } = await classroom();
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'failed' });
    expect(await sendDueWebhooks(db())).toMatchObject({ sent: 0, retrying: 1 });
    const [row] = await deliveries();
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row!.last_error).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('each subscription gets only the events it chose; a deactivated one gets none', async () => {
    const certificates = await subscribe(['certificate.issued', 'certificate.revoked']);
    const statuses = await subscribe(['enrolment.status_changed']);
    const off = await subscribe(['enrolment.status_changed', 'certificate.issued']);
    await db().updateTable('webhook_subscriptions').set({ deactivated_at: nowIso() }).where('id', '=', off.id).execute();
    const { teacher, run, enrolment } = await classroom();
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'completed' });
    const rows = await deliveries();
    expect(rows.map((r) => [r.subscription_id, r.kind]).sort()).toEqual(
      [
        [certificates.id, 'certificate.issued'],
        [statuses.id, 'enrolment.status_changed'],
      ].sort(),
    );
    expect(await sendDueWebhooks(db())).toMatchObject({ sent: 2 });
    const issued = receiver.received.map((r) => JSON.parse(r.body)).find((p) => p.type === 'certificate.issued');
    const certificate = await db().selectFrom('certificates').select(['number', 'verification_code']).where('enrolment_id', '=', enrolment.id).executeTakeFirstOrThrow();
    expect(issued.data).toMatchObject({ certificateNumber: certificate.number, verificationCode: certificate.verification_code, enrolmentId: enrolment.id });
  });

  it('the study-term sweep raises a status-changed event for each enrolment it expires, in one statement', async () => {
    const hook = await subscribe(['enrolment.status_changed']);
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id });
    const expired: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const e = await enrol(db(), run, (await makeUser(db())).id);
      await db().updateTable('enrolments').set({ term_ends_on: '2000-01-01' }).where('id', '=', e.id).execute();
      expired.push(e.id);
    }
    const counting = countingOutboxInserts();
    const outcome = await runStudyTermSweep(db().withPlugin(counting.plugin));
    expect(outcome.kind === 'done' && outcome.changed).toBeGreaterThanOrEqual(3);
    expect(counting.count()).toBe(1);
    const rows = await db()
      .selectFrom('outbox as o')
      .innerJoin('history as h', 'h.id', 'o.history_id')
      .select(['o.kind', 'o.subscription_id', 'h.enrolment_id', 'h.new_value'])
      .where('o.channel', '=', 'webhook')
      .where('h.enrolment_id', 'in', expired)
      .execute();
    expect(rows.map((r) => r.enrolment_id).sort()).toEqual([...expired].sort());
    expect(rows.every((r) => r.kind === 'enrolment.status_changed' && r.subscription_id === hook.id && r.new_value === 'term_expired')).toBe(true);
    await sendDueWebhooks(db());
    const payloads = receiver.received.map((r) => JSON.parse(r.body));
    expect(payloads.filter((p) => expired.includes(p.data.enrolmentId)).map((p) => [p.data.to, p.data.source])).toEqual(expired.map(() => ['term_expired', 'system']));
  });

  it('without an active subscription nothing is written, and the sweep adds no statement', async () => {
    const { teacher, run, enrolment } = await classroom();
    await teacherSaves(db(), teacher, run.id, enrolment.id, { status: 'absent' });
    const e = await enrol(db(), run, (await makeUser(db())).id);
    await db().updateTable('enrolments').set({ term_ends_on: '2000-01-01' }).where('id', '=', e.id).execute();
    const counting = countingOutboxInserts();
    await runStudyTermSweep(db().withPlugin(counting.plugin));
    expect(counting.count()).toBe(0);
    expect(await deliveries()).toEqual([]);
  });
});

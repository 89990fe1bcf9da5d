import {
  PROTOCOL_VERSION,
  ProtocolErrorCode,
  type RunState,
  type ServerEvent,
  Step,
} from '@agentauth/agent-api';
import pg from 'pg';
import { StoreUnavailableError } from '../store/agent-store.js';
import { inTransaction, query, unavailable } from '../store/postgres/connection.js';
import { insertSteps } from '../store/postgres/postgres-store.js';
import { INTERRUPTED_MESSAGE } from './interrupted.js';
import type {
  PartialText,
  RemoteListener,
  RunCoordinator,
  RunEnd,
  RunNote,
  RunStatus,
} from './run-coordinator.js';

/** The NOTIFY channel every replica listens on. */
const EVENTS_CHANNEL = 'agentauth_agent_events';

/** What a notification carries: ids and a kind, never content (the tables hold that). */
interface Notice {
  /** The replica that sent it; empty for a recovery every replica must relay. */
  p: string;
  a: string;
  k: 'step' | 'status' | 'partial' | 'stop' | 'deleted';
  r?: string;
  s?: number;
}

export interface PostgresRunsOptions {
  readonly pool: pg.Pool;
  /** The same connection string as the pool: the listener holds one connection of its own. */
  readonly url: string;
  readonly replicaId: string;
  readonly leaseMs: number;
  readonly onError: (error: unknown, what: string) => void;
  /** How often every replica looks for expired leases (ms); default half the lease. */
  readonly sweepMs?: number;
}

/**
 * Run coordination on PostgreSQL. A lease is the agent's `agent_runs` row with state `running`
 * and a `lease_until` in the future (database clock, so replicas' clocks do not matter); the
 * holder renews it while it runs, and writes the streaming text with each renewal. A row whose
 * lease ran out belongs to a replica that died: whoever sees it first (a sweep on every replica,
 * or a new prompt) records the run as interrupted with its partial text. Events travel as
 * LISTEN/NOTIFY notices carrying ids; each replica reads the data from the tables, and only for
 * agents it has sockets of.
 * @example const coordinator = createPostgresRuns({ pool, url, replicaId, leaseMs: 15000, onError })
 */
export function createPostgresRuns(options: PostgresRunsOptions): RunCoordinator {
  const { pool, replicaId, leaseMs, onError } = options;
  let listener: RemoteListener | undefined;
  let closed = false;
  let client: pg.Client | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let queue = Promise.resolve();
  let listening: () => void = () => {};
  let hadListened = false;
  const ready = new Promise<void>((resolve) => {
    listening = resolve;
  });

  /** Sends one notice on `via`: the pool, or a transaction's client (delivered at its commit). */
  const notify = (via: pg.Pool | pg.ClientBase, notice: Notice) =>
    via.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(notice)]);

  /** Records expired runs (all, or one agent's) as interrupted; the caller holds a transaction. */
  const interruptExpired = async (c: pg.ClientBase, agentId?: string) => {
    const { rows } = await c.query<{
      agent_id: string;
      run_id: string;
      partial_seq: number;
      partial_text: string;
    }>(
      `SELECT agent_id, run_id, partial_seq, partial_text FROM agent_runs
       WHERE state = 'running' AND lease_until < clock_timestamp() ${agentId ? 'AND agent_id = $1' : ''}
       FOR UPDATE SKIP LOCKED`,
      agentId ? [agentId] : [],
    );
    for (const row of rows) {
      const { rows: last } = await c.query<{ next: number }>(
        'SELECT coalesce(max(seq) + 1, 0)::int AS next FROM agent_steps WHERE agent_id = $1 AND run_id = $2',
        [row.agent_id, row.run_id],
      );
      let seq = Math.max(last[0]?.next ?? 0, 0);
      const at = new Date().toISOString();
      const steps: Step[] = [];
      if (row.partial_text && row.partial_seq >= seq) {
        steps.push({
          kind: 'model_text',
          runId: row.run_id,
          seq: row.partial_seq,
          at,
          text: row.partial_text,
        });
        seq = row.partial_seq + 1;
      }
      steps.push({
        kind: 'error',
        runId: row.run_id,
        seq,
        at,
        code: 'ERR_RUN_INTERRUPTED',
        message: INTERRUPTED_MESSAGE,
      });
      await insertSteps(c, row.agent_id, steps);
      await c.query(
        `UPDATE agent_runs SET state = 'error', error_code = 'ERR_RUN_INTERRUPTED', error_message = $2,
         ended_at = clock_timestamp(), partial_text = '' WHERE agent_id = $1`,
        [row.agent_id, INTERRUPTED_MESSAGE],
      );
      for (const step of steps) {
        await notify(c, { p: '', a: row.agent_id, k: 'step', r: row.run_id, s: step.seq });
      }
      await notify(c, { p: '', a: row.agent_id, k: 'status', r: row.run_id });
    }
    return rows.length;
  };

  const sweep = setInterval(
    () => {
      inTransaction(pool, (c) => interruptExpired(c)).catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) onError(error, 'lease sweep failed');
      });
    },
    options.sweepMs ?? Math.max(250, Math.floor(leaseMs / 2)),
  );
  sweep.unref();

  /** Turns one notice into what the run manager needs, reading the data it names. */
  const resolve = async (notice: Notice): Promise<void> => {
    const target = listener;
    if (!target) return;
    if (notice.k === 'stop') return target.signal({ type: 'stop', agentId: notice.a });
    if (notice.k === 'deleted') return target.signal({ type: 'deleted', agentId: notice.a });
    if (!target.wants(notice.a)) return;
    if (notice.k === 'step') {
      const { rows } = await pool.query<{ body: unknown }>(
        'SELECT body FROM agent_steps WHERE agent_id = $1 AND run_id = $2 AND seq = $3 ORDER BY id LIMIT 1',
        [notice.a, notice.r, notice.s],
      );
      const step = Step.safeParse(rows[0]?.body);
      if (step.success) {
        target.signal({
          type: 'event',
          agentId: notice.a,
          event: { v: PROTOCOL_VERSION, type: 'step', step: step.data },
        });
      }
      return;
    }
    const { rows } = await pool.query<RunRow>(
      'SELECT run_id, state, error_code, error_message, partial_seq, partial_text FROM agent_runs WHERE agent_id = $1',
      [notice.a],
    );
    const row = rows[0];
    if (!row || row.run_id !== notice.r) return;
    if (notice.k === 'partial') {
      if (row.state === 'running' && row.partial_text) {
        target.signal({
          type: 'partial',
          agentId: notice.a,
          partial: { runId: row.run_id, seq: row.partial_seq, text: row.partial_text },
        });
      }
      return;
    }
    for (const event of statusEvents(row)) {
      target.signal({ type: 'event', agentId: notice.a, event });
    }
  };

  const onNotification = (message: pg.Notification) => {
    let notice: Notice;
    try {
      notice = JSON.parse(message.payload ?? '') as Notice;
    } catch {
      return;
    }
    if (notice.p === replicaId) return;
    // One at a time, in the order the database delivered them.
    queue = queue
      .then(() => resolve(notice))
      .catch((error: unknown) => onError(error, 'reading a run event failed'));
  };

  const connectListener = async (attempt: number) => {
    if (closed) return;
    const c = new pg.Client({
      connectionString: options.url,
      application_name: 'agentauth-agent-events',
    });
    const retry = () => {
      if (closed || retryTimer) return;
      client = undefined;
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      const delay = Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        connectListener(attempt + 1);
      }, delay);
      retryTimer.unref();
    };
    c.on('error', (error) => {
      onError(error, 'run event listener lost its connection; reconnecting');
      retry();
    });
    c.on('end', retry);
    c.on('notification', onNotification);
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      client = c;
      attempt = 0;
      listening();
      // Notifications sent while no LISTEN was in place are gone: the sockets must resync.
      if (hadListened) listener?.signal({ type: 'resync' });
      hadListened = true;
    } catch {
      retry();
    }
  };

  return {
    leaseMs,
    claim: (agentId, runId) =>
      inTransaction(pool, async (c) => {
        await interruptExpired(c, agentId);
        const { rowCount } = await c.query(
          `INSERT INTO agent_runs (agent_id, run_id, replica_id, state, lease_until, started_at)
           SELECT $1, $2, $3, 'running', clock_timestamp() + $4 * interval '1 millisecond', clock_timestamp()
           WHERE EXISTS (SELECT 1 FROM agents WHERE id = $1)
           ON CONFLICT (agent_id) DO UPDATE SET
             run_id = excluded.run_id, replica_id = excluded.replica_id, state = 'running',
             error_code = NULL, error_message = NULL, stop_requested = false, partial_seq = 0,
             partial_text = '', lease_until = excluded.lease_until, started_at = excluded.started_at,
             ended_at = NULL
           WHERE agent_runs.state <> 'running'`,
          [agentId, runId, replicaId, leaseMs],
        );
        return (rowCount ?? 0) > 0;
      }),
    async renew(agentId, runId, partial: PartialText | undefined) {
      // A text column cannot hold U+0000; this copy only matters if the replica dies.
      const text = partial?.runId === runId ? partial.text.replaceAll('\u0000', '\ufffd') : '';
      const seq = partial?.runId === runId ? partial.seq : 0;
      const { rows } = await query<{ stop_requested: boolean }>(
        pool,
        `UPDATE agent_runs SET lease_until = clock_timestamp() + $3 * interval '1 millisecond',
           partial_seq = $4, partial_text = $5
         WHERE agent_id = $1 AND run_id = $2 AND state = 'running' RETURNING stop_requested`,
        [agentId, runId, leaseMs, seq, text],
      );
      const row = rows[0];
      if (!row) return 'lost';
      if (text)
        await notify(pool, { p: replicaId, a: agentId, k: 'partial', r: runId }).catch(unavailable);
      return row.stop_requested ? 'stop' : 'ok';
    },
    async release(agentId, runId, end: RunEnd) {
      await query(
        pool,
        `UPDATE agent_runs SET state = $3, error_code = $4, error_message = $5, partial_text = '',
           ended_at = clock_timestamp()
         WHERE agent_id = $1 AND run_id = $2 AND state = 'running'`,
        [
          agentId,
          runId,
          end.state,
          end.state === 'error' ? end.code : null,
          end.state === 'error' ? end.message : null,
        ],
      );
    },
    async status(agentId): Promise<RunStatus> {
      const { rows } = await query<RunRow & { live: boolean }>(
        pool,
        `SELECT run_id, state, error_code, error_message, partial_seq, partial_text,
           lease_until > clock_timestamp() AS live FROM agent_runs WHERE agent_id = $1`,
        [agentId],
      );
      const row = rows[0];
      if (!row) return { state: 'idle' };
      // An expired lease is a run the sweep will record as interrupted: it is not running.
      if (row.state === 'running') {
        if (!row.live) return { state: 'error' };
        return row.partial_text
          ? {
              state: 'running',
              partial: { runId: row.run_id, seq: row.partial_seq, text: row.partial_text },
            }
          : { state: 'running' };
      }
      return { state: row.state as RunState };
    },
    async runningAgents() {
      // One query for the whole list; an expired lease is not running (as in status()).
      const { rows } = await query<{ agent_id: string }>(
        pool,
        `SELECT agent_id FROM agent_runs
         WHERE state = 'running' AND lease_until > clock_timestamp()`,
        [],
      );
      return new Set(rows.map((r) => r.agent_id));
    },
    async requestStop(agentId) {
      const { rows } = await query<{ run_id: string }>(
        pool,
        `UPDATE agent_runs SET stop_requested = true
         WHERE agent_id = $1 AND state = 'running' AND lease_until > clock_timestamp() RETURNING run_id`,
        [agentId],
      );
      if (rows.length === 0) return false;
      await notify(pool, { p: replicaId, a: agentId, k: 'stop' }).catch(unavailable);
      return true;
    },
    async announce(agentId, note: RunNote) {
      await notify(pool, {
        p: replicaId,
        a: agentId,
        k: note.kind,
        r: note.runId,
        ...(note.kind === 'step' ? { s: note.seq } : {}),
      }).catch(unavailable);
    },
    async announceDeleted(agentId) {
      await notify(pool, { p: replicaId, a: agentId, k: 'deleted' }).catch(unavailable);
    },
    listen(next) {
      listener = next;
      if (!client && !retryTimer) void connectListener(0);
    },
    ready: () => ready,
    async close() {
      closed = true;
      clearInterval(sweep);
      clearTimeout(retryTimer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
      await queue;
    },
  };
}

interface RunRow {
  run_id: string;
  state: string;
  error_code: string | null;
  error_message: string | null;
  partial_seq: number;
  partial_text: string;
}

/** The events a replica sends its sockets when a run ended elsewhere. */
function statusEvents(row: RunRow): ServerEvent[] {
  if (row.state === 'running') {
    return [{ v: PROTOCOL_VERSION, type: 'status', state: 'running', runId: row.run_id }];
  }
  const events: ServerEvent[] = [];
  if (row.state === 'error') {
    const code = ProtocolErrorCode.safeParse(row.error_code);
    events.push({
      v: PROTOCOL_VERSION,
      type: 'error',
      code: code.success ? code.data : 'ERR_INTERNAL',
      message: row.error_message ?? 'The run failed.',
      runId: row.run_id,
    });
  }
  events.push({
    v: PROTOCOL_VERSION,
    type: 'status',
    state: row.state as RunState,
    runId: row.run_id,
  });
  return events;
}

/**
 * The loop that drains the outbound queue: claim due rows, deliver each, settle each. Any number of
 * these run at once (in one process or many); `claimOutbound` keeps them apart.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '../../clock.ts';
import type { Db } from '../db.ts';
import {
  type Bouncer,
  claimOutbound,
  type Deliverer,
  type DeliveryResult,
  type RetryPolicy,
  type SettleOutcome,
  settleOutbound,
} from './outbound.ts';

export interface OutboundWorkerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly deliverer: Deliverer;
  readonly bounce: Bouncer;
  /** opens a blob (the raw message) */
  openBlob(sha256: string): Readable;
  readonly policy: RetryPolicy;
  /** how long a claim lasts: longer than any delivery attempt can take */
  readonly leaseMs: number;
  /** rows claimed at a time */
  readonly batch: number;
}

export interface RunReport {
  readonly claimed: number;
  readonly outcomes: readonly (SettleOutcome & { readonly id: string })[];
}

/** One pass: claims a batch and delivers it (rows of the batch in parallel). */
export async function runOutboundOnce(deps: OutboundWorkerDeps): Promise<RunReport> {
  const { token, rows } = await claimOutbound(deps.db, {
    now: deps.clock.now(),
    limit: deps.batch,
    leaseMs: deps.leaseMs,
  });
  const outcomes = await Promise.all(
    rows.map(async (row) => {
      let result: DeliveryResult;
      try {
        result = await deps.deliverer.deliver({
          id: row.id,
          domain: row.domain,
          mailFrom: row.mail_from,
          recipients: row.recipients,
          headerMessageId: row.header_message_id,
          openRaw: () => deps.openBlob(row.raw_sha256),
        });
      } catch (err) {
        // A deliverer bug or a missing blob: retry later like any temporary failure.
        const reply = `local error: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200);
        result = {
          accepted: [],
          refused: row.recipients.map((address) => ({ address, permanent: false, reply, remoteMta: null })),
        };
      }
      const outcome = await settleOutbound(deps.db, row, token, result, {
        now: deps.clock.now(),
        policy: deps.policy,
        bounce: deps.bounce,
      });
      return { id: row.id, ...outcome };
    }),
  );
  return { claimed: rows.length, outcomes };
}

/** Drains everything due now (several passes until a pass claims nothing). */
export async function drainOutbound(deps: OutboundWorkerDeps, maxPasses = 100): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const r = await runOutboundOnce(deps);
    if (r.claimed === 0) break;
    reports.push(r);
  }
  return reports;
}

export interface RunningWorker {
  /** runs a pass soon (after a message was queued) */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Runs passes every `intervalMs` and whenever kicked, one at a time. Errors are logged and the
 * loop goes on (a database outage only delays delivery).
 */
export function startOutboundWorker(
  deps: OutboundWorkerDeps,
  options: { intervalMs: number; onError(err: unknown): void },
): RunningWorker {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pass = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          const r = await runOutboundOnce(deps);
          if (r.claimed === deps.batch) again = true;
        } while (again && !stopped);
      } catch (err) {
        options.onError(err);
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(pass, options.intervalMs);
  timer.unref();
  return {
    kick: () => setImmediate(pass),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

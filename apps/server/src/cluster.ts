// `gongjik start --workers N`: N server processes behind ONE listening socket (node:cluster).
// The primary prepares the data directory once (migrations, admin token, demo kit, keys), forks the
// workers, relays their readiness and re-forks a worker that dies. It serves no request itself.
// Every piece of state a request needs — sessions, login challenges, failure counts (rate limits),
// queues — is in PostgreSQL, so any worker can answer any request; PGlite, a single-process
// database, is refused by the config for more than one worker.
import cluster, { type Worker } from 'node:cluster';
import { mkdirSync } from 'node:fs';
import { createDb } from '@gongjik/db';
import type { Config } from './config.ts';
import { type PreparedDataDir, prepareDataDir, type StartOptions, startServer } from './start.ts';

const READY = 'gongjik:ready';
const STOP = 'gongjik:stop';
/** a worker that dies is forked again after this long (not faster: no fork storm) */
const RESTART_DELAY_MS = 1_000;
const STOP_TIMEOUT_MS = 15_000;

interface ReadyMessage {
  readonly type: typeof READY;
  readonly listenUrl: string;
  readonly smtpPort: number | null;
}

const isReady = (m: unknown): m is ReadyMessage =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === READY;

export interface RunningCluster extends PreparedDataDir {
  readonly listenUrl: string;
  readonly smtpPort: number | null;
  readonly workers: number;
  /** the process ids of the live workers */
  pids(): number[];
  close(): Promise<void>;
}

export interface ClusterLog {
  warn(line: string): void;
}

/** In a cluster worker: starts the server, tells the primary, and stops when told to. */
export async function runClusterWorker(config: Config, options: StartOptions = {}): Promise<void> {
  const server = await startServer(config, options);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close().catch(() => {});
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === STOP) void stop();
  });
  // the primary forwards SIGTERM/SIGINT as STOP; a signal sent to the whole group ends us too
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.send?.({
    type: READY,
    listenUrl: server.listenUrl,
    smtpPort: server.smtpPort,
  } satisfies ReadyMessage);
}

/**
 * In the primary: prepares the data directory, forks `config.cluster.workers` workers (which run
 * this same command line with GONGJIK_WORKER_INDEX set) and resolves once all listen. A worker
 * that fails before it is ready fails the start; one that dies later is forked again.
 */
export async function startCluster(
  config: Config,
  options: StartOptions = {},
  log: ClusterLog = { warn: (l) => process.stderr.write(`${l}\n`) },
): Promise<RunningCluster> {
  if (!cluster.isPrimary) throw new Error('startCluster runs in the cluster primary');
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const handle = await createDb({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  let prepared: PreparedDataDir;
  try {
    prepared = await prepareDataDir(handle.db, config, options);
  } finally {
    await handle.close();
  }

  const live = new Map<number, Worker>();
  let stopping = false;
  let first: ReadyMessage | null = null;

  const fork = (index: number): Promise<ReadyMessage> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ GONGJIK_WORKER_INDEX: String(index) });
      live.set(index, worker);
      let ready = false;
      worker.on('message', (m: unknown) => {
        if (!isReady(m) || ready) return;
        ready = true;
        resolve(m);
      });
      worker.once('exit', (code, signal) => {
        if (live.get(index) === worker) live.delete(index);
        if (!ready) {
          reject(new Error(`worker ${index} exited before it was ready (${signal ?? code})`));
          return;
        }
        if (stopping) return;
        log.warn(
          `gongjik: worker ${index} (pid ${worker.process.pid}) exited (${signal ?? code}); restarting`,
        );
        setTimeout(() => {
          if (!stopping) fork(index).catch((err) => log.warn(`gongjik: ${String(err)}`));
        }, RESTART_DELAY_MS).unref();
      });
    });

  const close = async () => {
    stopping = true;
    const workers = [...live.values()];
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const t = setTimeout(() => w.kill('SIGKILL'), STOP_TIMEOUT_MS);
            w.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            try {
              w.send(STOP);
            } catch {
              w.kill('SIGTERM');
            }
          }),
      ),
    );
  };

  try {
    const ready = await Promise.all(Array.from({ length: config.cluster.workers }, (_, i) => fork(i)));
    first = ready[0]!;
  } catch (err) {
    await close();
    throw err;
  }
  return {
    ...prepared,
    listenUrl: first.listenUrl,
    smtpPort: first.smtpPort,
    workers: config.cluster.workers,
    pids: () => [...live.values()].map((w) => w.process.pid).filter((p): p is number => p !== undefined),
    close,
  };
}

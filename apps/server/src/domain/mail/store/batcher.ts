// Group commit for deliveries: messages that become ready while a delivery transaction runs wait
// and then share the next one (storeMessages: a fixed number of statements and ONE commit — one
// WAL flush — for the whole batch). Each caller's promise settles only after the transaction that
// holds its message has committed, so "250 only after a durable commit" still holds per message.
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../../db.ts';
import { type StoreMessageInput, type StoreMessageResult, storeMessage, storeMessages } from './deliver.ts';

export interface DeliveryBatcherOptions {
  /** most messages in one transaction (default 64) */
  readonly maxBatch?: number;
  /** transactions in flight at once (default 2: one commits while the next is built) */
  readonly concurrency?: number;
}

interface Waiting {
  readonly input: StoreMessageInput;
  resolve(r: StoreMessageResult): void;
  reject(err: unknown): void;
}

export class DeliveryBatcher {
  readonly #db: Db;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #queue: Waiting[] = [];
  #running = 0;
  /** batches committed and messages in them (for benchmarks and metrics) */
  readonly stats = { batches: 0, messages: 0 };

  constructor(db: Db, options: DeliveryBatcherOptions = {}) {
    this.#db = db;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 64);
    this.#concurrency = Math.max(1, options.concurrency ?? 2);
  }

  /** Stores one message; resolves after its transaction committed (rejects like storeMessage). */
  store(input: StoreMessageInput): Promise<StoreMessageResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#running++;
      this.#run(batch).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #run(batch: Waiting[]): Promise<void> {
    // Whether every statement ran: an error after that came from COMMIT itself, and then nobody
    // knows whether the batch is stored — retrying could store it twice, so such a batch is only
    // refused (451: the sender retries, as SMTP expects for a lost reply).
    let statementsDone = false;
    try {
      const outcomes = await this.#db.transaction().execute(async (trx) => {
        const r = await storeMessages(
          trx,
          batch.map((w) => w.input),
        );
        statementsDone = true;
        return r;
      });
      this.stats.batches++;
      this.stats.messages += batch.length;
      outcomes.forEach((o, i) => {
        if ('error' in o) batch[i]!.reject(o.error);
        else batch[i]!.resolve(o.result);
      });
    } catch (err) {
      if (batch.length === 1 || statementsDone || err instanceof GongjikError) {
        for (const w of batch) w.reject(err);
        return;
      }
      // A statement failed and the transaction rolled back (nothing was stored): one message at a
      // time, so that one bad message cannot refuse the others.
      for (const w of batch) await storeMessage(this.#db, w.input).then(w.resolve, w.reject);
    }
  }
}

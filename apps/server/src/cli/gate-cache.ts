// The cache folder of a gate run by `gongjik gate …` (one folder per gate, mode 0700):
//   gate.json    server URL, gate id and the gate's private key (0600: whoever reads it is the gate)
//   bundle.json  the last bundle fetched (issuer keys, signed status lists, the gate's policy)
//   seen.json    nonces of accepted and refused proofs until they expire (replay refusal)
//   log.jsonl    decisions not yet uploaded
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { GongjikError } from '@gongjik/errors';
import type { GateDecision, GateSetup, SeenCache } from '@gongjik/mobile-id';

export interface GateConfigFile {
  readonly server: string;
  readonly gateId: string;
  readonly privateJwk: GateSetup['privateJwk'];
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new GongjikError('ERR_CLI_USAGE', { problem: `${file} is not readable JSON` }, { cause });
  }
}

export class GateCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  writeConfig(config: GateConfigFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeAtomic(join(this.dir, 'gate.json'), `${JSON.stringify(config, null, 2)}\n`);
  }

  config(): GateConfigFile {
    const file = join(this.dir, 'gate.json');
    if (!existsSync(file)) throw new GongjikError('ERR_GATE_NOT_CONFIGURED');
    return readJson(file) as GateConfigFile;
  }

  writeBundle(bundle: unknown): void {
    writeAtomic(join(this.dir, 'bundle.json'), JSON.stringify(bundle));
  }

  bundle(): unknown {
    const file = join(this.dir, 'bundle.json');
    if (!existsSync(file)) throw new GongjikError('ERR_GATE_NO_BUNDLE');
    return readJson(file);
  }

  seen(): FileSeenCache {
    return new FileSeenCache(join(this.dir, 'seen.json'));
  }

  appendLog(decision: GateDecision): void {
    appendFileSync(join(this.dir, 'log.jsonl'), `${JSON.stringify(decision)}\n`, { mode: 0o600 });
  }

  queuedLog(): GateDecision[] {
    const file = join(this.dir, 'log.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as GateDecision);
  }

  /** Drops the first `n` queued decisions (uploaded). */
  dropLog(n: number): void {
    const rest = this.queuedLog().slice(n);
    writeAtomic(join(this.dir, 'log.jsonl'), rest.map((d) => `${JSON.stringify(d)}\n`).join(''));
  }
}

/** A SeenCache persisted as one small JSON file (entries live ≤ ~40 s, so it stays small). */
export class FileSeenCache implements SeenCache {
  readonly file: string;
  readonly #entries: Map<string, number>;

  constructor(file: string) {
    this.file = file;
    const raw = existsSync(file) ? (readJson(file) as Record<string, number>) : {};
    this.#entries = new Map(Object.entries(raw).filter(([, v]) => typeof v === 'number'));
  }

  has(key: string, nowSeconds: number): boolean {
    const exp = this.#entries.get(key);
    return exp !== undefined && exp > nowSeconds;
  }

  add(key: string, expiresAt: number): void {
    this.#entries.set(key, expiresAt);
  }

  save(nowSeconds: number): void {
    const kept: Record<string, number> = {};
    for (const [k, v] of this.#entries) if (v > nowSeconds) kept[k] = v;
    writeAtomic(this.file, JSON.stringify(kept));
  }
}

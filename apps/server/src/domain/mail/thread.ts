/**
 * Conversation threading: pure functions over message metadata.
 *
 * The design is a deterministic simplification of JWZ threading that a store can apply
 * incrementally, one message at a time, as mail arrives in any order:
 *
 * 1. A message's **links** are the Message-IDs in its References and In-Reply-To (bounded, its own
 *    id excluded). Two messages belong to the same thread when one links to the other, directly or
 *    through a chain — including through a message we never received (two replies that both cite a
 *    missing parent still meet on the parent's id).
 * 2. On arrival the store looks up (a) the threads of known messages whose Message-ID is one of the
 *    new message's links, and (b) the threads of known messages that link to the new message's own
 *    Message-ID or share one of its links (a reply that arrived before its parent). `chooseThread`
 *    takes those and picks the thread of the **first known ancestor** in References order (the
 *    oldest, so a thread keeps its id as it grows); any other thread found is returned in `merge`,
 *    for the store to fold into the chosen one.
 * 3. Only when a message has **no links at all** does the subject fallback apply: its subject
 *    carries a reply/forward prefix (`RE:`, `회신:`, `FW:`…), the normalised subject equals a
 *    candidate's, and the candidate is within a time window (default 14 days) before it. Messages
 *    that are not replies never join a thread by subject alone, so two different "회의 안내" mails
 *    a month apart stay apart.
 *
 * `threadMessages` applies the same rules to a whole batch at once (union-find); a test checks that
 * incremental assignment in any arrival order yields the same grouping.
 */

/** The metadata threading needs, as parsed from the headers. */
export interface ThreadMeta {
  /** The message's Message-ID header (with or without brackets), or null when missing. */
  readonly messageId: string | null;
  /** Raw In-Reply-To header, or already-parsed ids. */
  readonly inReplyTo?: string | readonly string[] | null;
  /** Raw References header, or already-parsed ids. */
  readonly references?: string | readonly string[] | null;
  readonly subject?: string | null;
  readonly date: Date;
}

/** Most Message-IDs we read from one header; beyond that we keep the first and the newest. */
export const MAX_LINKS = 100;
/** Longest Message-ID we consider; longer tokens are ignored. */
const MAX_ID_LENGTH = 250;
/** Longest header text we scan for ids. */
const MAX_HEADER_SCAN = 64 * 1024;
export const DEFAULT_SUBJECT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Extracts Message-IDs (`<…>`) from a References or In-Reply-To header, in order, deduplicated,
 * without brackets. Text outside brackets (comments, "Your message of…") is ignored; ids with
 * spaces or over-long ids are dropped. Bounded: at most `MAX_LINKS` ids (the first and the newest).
 */
export function parseMessageIds(header: string | readonly string[] | null | undefined): string[] {
  if (header == null) return [];
  const tokens: string[] = [];
  if (typeof header === 'string') {
    for (const m of header.slice(0, MAX_HEADER_SCAN).matchAll(/<([^<>]*)>/g)) tokens.push(m[1]!);
  } else {
    for (const id of header) tokens.push(typeof id === 'string' ? id.replace(/^\s*<|>\s*$/g, '') : '');
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    const id = normalizeMessageId(token);
    if (id === null || seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids.length <= MAX_LINKS ? ids : [ids[0]!, ...ids.slice(ids.length - (MAX_LINKS - 1))];
}

/**
 * The comparable form of one Message-ID: brackets and outer spaces removed. Returns null for
 * something that cannot be an id (empty, inner whitespace or controls, no `@`, too long).
 * Ids are compared exactly (RFC 5322 gives no case folding).
 */
export function normalizeMessageId(id: string | null | undefined): string | null {
  if (typeof id !== 'string') return null;
  const value = id.trim().replace(/^<|>$/g, '');
  if (value.length === 0 || value.length > MAX_ID_LENGTH) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: controls make an id unusable
  if (/[\s<>\u0000-\u001f\u007f]/.test(value) || !value.includes('@')) return null;
  return value;
}

/**
 * The ids a message links to, root first, as JWZ orders them: References, then In-Reply-To's first
 * id when References does not already end with it. The message's own id is never its own link.
 */
export function messageLinks(meta: ThreadMeta): string[] {
  const own = normalizeMessageId(meta.messageId);
  const refs = parseMessageIds(meta.references);
  const parent = parseMessageIds(meta.inReplyTo)[0];
  const links = parent && !refs.includes(parent) ? [...refs, parent] : refs;
  return own === null ? links : links.filter((id) => id !== own);
}

const PREFIX_WORDS = ['re', 'fw', 'fwd', '회신', '전달', '답장', '답신'];
const WORDS = PREFIX_WORDS.join('|');
/**
 * One reply/forward prefix: `RE:`, `Re :`, `FW：` (full-width colon), `RE[2]:`, `Re(3):`, `RE^2:`,
 * or the bracketed form `[RE]`, `[회신]`, `【FW】`. Case-insensitive; spaces around are allowed.
 */
const PREFIX = new RegExp(
  `^\\s*(?:[[［【](?:${WORDS})[\\]］】]|(?:${WORDS})\\s*(?:\\[\\d{1,3}\\]|\\(\\d{1,3}\\)|\\^\\d{1,3})?\\s*[:：])\\s*`,
  'iu',
);
/** Prefix loop bound: a subject of 500 `Re:` is not worth more work. */
const MAX_PREFIXES = 100;

/** Whether the subject starts with at least one reply/forward prefix. */
export function hasReplyPrefix(subject: string | null | undefined): boolean {
  return typeof subject === 'string' && PREFIX.test(subject);
}

/**
 * The subject with every leading reply/forward prefix removed (`RE: FW: 회신: [RE] 회의` → `회의`),
 * otherwise as written. For display in thread lists.
 */
export function stripSubjectPrefixes(subject: string | null | undefined): string {
  let s = (subject ?? '').trim();
  for (let i = 0; i < MAX_PREFIXES; i++) {
    const m = PREFIX.exec(s);
    if (!m) break;
    s = s.slice(m[0].length);
  }
  return s.trim();
}

/**
 * The key two subjects are compared on: NFKC (full-width letters and colons fold), prefixes
 * stripped, whitespace collapsed, lower-cased. '' means "no usable subject".
 */
export function subjectKey(subject: string | null | undefined): string {
  const folded = (subject ?? '').normalize('NFKC');
  return stripSubjectPrefixes(folded).replace(/\s+/g, ' ').toLowerCase().slice(0, 500);
}

/** What the store found for a new message (see the module comment, step 2). */
export interface ThreadLookup {
  /** Thread of each known message whose Message-ID is one of the new message's links. */
  readonly ancestors: ReadonlyMap<string, string>;
  /**
   * Threads of known messages that link to the new message's id, share one of its links, or carry
   * the same Message-ID (a copy of the same message); for example replies that arrived before
   * their parent. Order does not matter.
   */
  readonly related?: readonly string[];
  /**
   * For the subject fallback only: known messages with the same `subjectKey`, with their thread
   * and date. The store queries them only when `needsSubjectLookup(meta)` is true.
   */
  readonly sameSubject?: readonly { readonly threadId: string; readonly date: Date }[];
}

export interface ThreadChoice {
  /** The thread to put the message in, or null: start a new one. */
  readonly threadId: string | null;
  /** Other existing threads that this message joins together; the store merges them into `threadId`. */
  readonly merge: readonly string[];
  readonly reason: 'reference' | 'subject' | 'new';
}

/** Whether the subject fallback may apply: no links at all, and a reply/forward subject. */
export function needsSubjectLookup(meta: ThreadMeta): boolean {
  return messageLinks(meta).length === 0 && hasReplyPrefix(meta.subject) && subjectKey(meta.subject) !== '';
}

/**
 * Picks the thread for a new message from what the store found (see the module comment).
 * Deterministic: the same inputs always give the same answer.
 */
export function chooseThread(
  meta: ThreadMeta,
  lookup: ThreadLookup,
  options: { subjectWindowMs?: number } = {},
): ThreadChoice {
  const found: string[] = [];
  for (const link of messageLinks(meta)) {
    const t = lookup.ancestors.get(link);
    if (t !== undefined && !found.includes(t)) found.push(t);
  }
  for (const t of [...(lookup.related ?? [])].sort()) if (!found.includes(t)) found.push(t);
  if (found.length > 0) return { threadId: found[0]!, merge: found.slice(1), reason: 'reference' };

  if (needsSubjectLookup(meta) && lookup.sameSubject?.length) {
    const window = options.subjectWindowMs ?? DEFAULT_SUBJECT_WINDOW_MS;
    const at = meta.date.getTime();
    let best: { threadId: string; date: Date } | null = null;
    for (const c of lookup.sameSubject) {
      const age = at - c.date.getTime();
      if (age < 0 || age > window) continue;
      if (best === null || c.date > best.date || (+c.date === +best.date && c.threadId < best.threadId))
        best = c;
    }
    if (best) return { threadId: best.threadId, merge: [], reason: 'subject' };
  }
  return { threadId: null, merge: [], reason: 'new' };
}

/**
 * Threads a whole batch (for re-threading a mailbox, and as the reference the incremental path is
 * tested against). Returns, for each message index, a thread key: the index of the earliest
 * message (by date, then input order) of its thread.
 */
export function threadMessages(
  metas: readonly ThreadMeta[],
  options: { subjectWindowMs?: number } = {},
): number[] {
  const order = metas.map((_, i) => i).sort((a, b) => +metas[a]!.date - +metas[b]!.date || a - b);
  const parent = metas.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  // Link by ids: every message joins the "node" of its own id and of each link.
  const byId = new Map<string, number>();
  const join = (id: string, i: number) => {
    const j = byId.get(id);
    if (j === undefined) byId.set(id, i);
    else union(i, j);
  };
  for (const i of order) {
    const own = normalizeMessageId(metas[i]!.messageId);
    if (own !== null) join(own, i);
    for (const link of messageLinks(metas[i]!)) join(link, i);
  }
  // Subject fallback, in date order, against messages already seen.
  const window = options.subjectWindowMs ?? DEFAULT_SUBJECT_WINDOW_MS;
  for (const [pos, i] of order.entries()) {
    const meta = metas[i]!;
    if (!needsSubjectLookup(meta)) continue;
    const key = subjectKey(meta.subject);
    let best = -1;
    for (const j of order.slice(0, pos)) {
      if (subjectKey(metas[j]!.subject) !== key) continue;
      const age = +meta.date - +metas[j]!.date;
      if (age >= 0 && age <= window) best = j;
    }
    if (best >= 0) union(i, best);
  }
  const rootToKey = new Map<number, number>();
  for (const i of order) if (!rootToKey.has(find(i))) rootToKey.set(find(i), i);
  return metas.map((_, i) => rootToKey.get(find(i))!);
}

/**
 * Korean full-text search terms, for a GIN-indexed `tsvector` that works the same on PGlite and
 * PostgreSQL with no extension.
 *
 * ## Why bigrams
 * Korean words carry particles and compounds (`회의는`, `정기회의`, `회의록`), and most nouns are two
 * syllables, so neither whole-word matching nor trigrams work: a two-syllable query has no trigram,
 * and `pg_trgm` (which PGlite does ship, as `@electric-sql/pglite/contrib/pg_trgm`) then scans the
 * whole GIN index and rechecks every row — measured on PGlite, `LIKE '%회의%'` over 20,000 rows
 * returned all 20,000 from the index and removed 19,800 on recheck. It also needs the body text
 * in the table. Overlapping character **bigrams** make every two-syllable query an exact index
 * lookup, like `pg_bigm`, without needing that extension.
 *
 * ## Terms
 * Text is NFKC-normalised and lower-cased, then split into runs:
 * - a run of CJK characters (Hangul syllables and jamo, Han, Kana) gives its overlapping bigrams
 *   (`정기회의` → `정기 기회 회의`) plus the run's last character alone (`의`), so a one-character
 *   query can be a prefix query (`회:*` matches every bigram starting with 회 and a run ending in 회);
 *   a one-character run gives that character;
 * - a run of other letters and digits (Latin, numbers, …) gives the word, lower-cased, cut to 64
 *   characters. No prefixes are stored: the query side uses tsquery prefix matching instead;
 * - everything else (spaces, punctuation, `@`, `.`, `-`) separates runs, so `kim@korea.kr` gives
 *   `kim korea kr` and `e-mail` gives `e mail` — on both sides, so they still match.
 *
 * ## Query
 * `회의` → `'회의'`; `회의록` → `'회의' & '의록'`; `회` → `'회':*`; `meet` → `'meet':*` (words of three
 * or more characters are prefixes; shorter ones exact); `회의실 예약` → all terms of both words;
 * `"…"` groups words (no phrase semantics); a leading `-` excludes a word. The meaning is "every
 * bigram occurs in the document", a superset of substring search: it never misses a document that
 * contains the query, and may rarely return one where the bigrams occur apart (`회의` … `의록`).
 * A caller who needs exactness can recheck the few returned rows in memory.
 *
 * ## SQL
 * We build the `tsvector` ourselves, as its text form (`'회의':1A '의는':2A …`), and cast it
 * (`$1::tsvector`), rather than `to_tsvector('simple', …)`: the `simple` configuration still runs the
 * default parser, which splits `e-mail` into three tokens, keeps `kim@korea.kr` and `1.5` whole and
 * depends on the database locale for non-ASCII letters. A cast takes our lexemes verbatim, so the
 * index means exactly what this module says on any PostgreSQL. The query is likewise a `tsquery`
 * text cast (`$2::tsquery`). Positions are stored only so that fields can carry weights
 * (`setweight` on a position-less vector does nothing): subject A, sender and recipients B,
 * attachment names C, body D.
 *
 * ## Ranking
 * GIN finds the matches; it does not rank. Mail search is best ordered by date (`ORDER BY
 * received_at DESC LIMIT n`, which only reads the rows it returns). For "most relevant first",
 * `ts_rank(search_vector, query)` weighs a subject hit ten times a body hit with the default weights
 * {0.1, 0.2, 0.4, 1.0}; rank only a bounded candidate set (e.g. the newest 1,000 matches), since
 * ranking reads every matching row. `scopeTerm()` puts an owner term (an account id) into the
 * vector and the query, so the GIN lookup itself is confined to one mailbox.
 */
import { GongjikError } from '@gongjik/errors';

/** Longest word kept; longer ones (tokens, base64 leftovers) are cut. */
export const MAX_WORD_LENGTH = 64;
/** Characters of one field that are indexed; text beyond is ignored. */
export const MAX_FIELD_CHARS = 200_000;
/** Distinct lexemes in one document's vector (keeps it far below the 1 MB tsvector limit). */
export const MAX_DOCUMENT_TERMS = 20_000;
/** PostgreSQL's largest tsvector position. */
const MAX_POSITION = 16_383;
export const MAX_QUERY_LENGTH = 256;
export const MAX_QUERY_TERMS = 32;

export type TermKind = 'cjk' | 'word';

const CJK = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;

/** The kind of a character that is neither ASCII nor a Hangul syllable (Unicode properties). */
function kindOfOther(ch: string): TermKind | null {
  return CJK.test(ch) ? 'cjk' : WORD.test(ch) ? 'word' : null;
}

/**
 * Splits normalised text into CJK runs and word runs. ASCII and Hangul syllables (nearly all of
 * Korean mail) are classified by code unit and runs are sliced, not built character by character;
 * the Unicode property regexps (slow: they were ~10 % of SMTP server CPU) only see the rest.
 */
export function textRuns(text: string, maxChars = MAX_FIELD_CHARS): { kind: TermKind; text: string }[] {
  const s = text.slice(0, maxChars).normalize('NFKC').toLowerCase();
  const runs: { kind: TermKind; text: string }[] = [];
  let kind: TermKind | null = null;
  let start = 0;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    let k: TermKind | null;
    let width = 1;
    if (c < 0x80) {
      k = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? 'word' : null;
    } else if (c >= 0xac00 && c <= 0xd7a3) {
      k = 'cjk';
    } else {
      const next = s.charCodeAt(i + 1); // NaN past the end
      width = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
      k = kindOfOther(s.slice(i, i + width));
    }
    if (k !== kind) {
      if (kind !== null) runs.push({ kind, text: s.slice(start, i) });
      kind = k;
      start = i;
    }
    i += width;
  }
  if (kind !== null) runs.push({ kind, text: s.slice(start) });
  return runs;
}

function cjkTerms(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const terms: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i]! + chars[i + 1]!);
  terms.push(chars.at(-1)!);
  return terms;
}

function wordTerm(run: string): string {
  if (run.length <= MAX_WORD_LENGTH) return run; // ≤ 64 UTF-16 units: ≤ 64 characters
  return [...run].slice(0, MAX_WORD_LENGTH).join('');
}

/** The terms to index for a piece of text, in order of first appearance, each once. */
export function indexTerms(text: string | null | undefined): string[] {
  const terms = new Set<string>();
  for (const run of textRuns(text ?? '')) {
    if (run.kind === 'cjk') for (const t of cjkTerms(run.text)) terms.add(t);
    else terms.add(wordTerm(run.text));
  }
  return [...terms];
}

/** The searchable fields of a message, each with its weight. */
export interface SearchFields {
  readonly subject?: string | null;
  /** Sender and recipients: names and addresses. */
  readonly participants?: string | null;
  readonly attachmentNames?: string | null;
  readonly body?: string | null;
}

export const SEARCH_WEIGHTS = { subject: 'A', participants: 'B', attachmentNames: 'C', body: 'D' } as const;

/** A lexeme quoted for the tsvector/tsquery text syntax. */
function quoteLexeme(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * An owner term (e.g. `scopeTerm('account', 42)`), added to a document with `searchVector(…, {
 * scope })` and to a query with `parseSearchQuery(…, { scope })`. It contains `~` and `:`, which the
 * tokenizer never produces, so no search text can collide with it.
 */
export function scopeTerm(kind: string, id: string | number): string {
  if (!/^[a-z]{1,16}$/.test(kind) || !/^[A-Za-z0-9_-]{1,64}$/.test(String(id))) {
    throw new GongjikError('ERR_INPUT_INVALID', { field: 'search scope' });
  }
  return `~${kind}:${id}`;
}

/**
 * The `tsvector` of a message, as text for `$n::tsvector`. Each term appears once per field, at the
 * position of its first occurrence, with the field's weight. Bounded in size.
 */
export function searchVector(fields: SearchFields, options: { scope?: readonly string[] } = {}): string {
  const lexemes = new Map<string, string[]>();
  let position = 1;
  const add = (term: string, weight: string) => {
    const entries = lexemes.get(term);
    if (entries === undefined) {
      if (lexemes.size >= MAX_DOCUMENT_TERMS) return;
      lexemes.set(term, [`${position}${weight}`]);
    } else if (!entries.some((e) => e.endsWith(weight))) {
      entries.push(`${position}${weight}`);
    } else {
      return;
    }
    position = Math.min(position + 1, MAX_POSITION);
  };
  for (const s of options.scope ?? []) add(s, 'A');
  for (const field of ['subject', 'participants', 'attachmentNames', 'body'] as const) {
    for (const term of indexTerms(fields[field])) add(term, SEARCH_WEIGHTS[field]);
  }
  return [...lexemes].map(([term, positions]) => `${quoteLexeme(term)}:${positions.join(',')}`).join(' ');
}

export interface SearchQuery {
  /** The query as `tsquery` text, for `$n::tsquery`. */
  readonly tsquery: string;
  /** Lexemes that must all match (prefix ones end in `:*`). */
  readonly required: readonly string[];
  /** Lexeme groups of excluded words. */
  readonly excluded: readonly (readonly string[])[];
}

function queryTerms(word: string): string[] {
  const out: string[] = [];
  for (const run of textRuns(word, MAX_QUERY_LENGTH)) {
    if (run.kind === 'cjk') {
      const chars = [...run.text];
      if (chars.length === 1) out.push(`${quoteLexeme(chars[0]!)}:*`);
      else for (let i = 0; i + 1 < chars.length; i++) out.push(quoteLexeme(chars[i]! + chars[i + 1]!));
    } else {
      const w = wordTerm(run.text);
      out.push([...w].length >= 3 ? `${quoteLexeme(w)}:*` : quoteLexeme(w));
    }
  }
  return out;
}

/** Splits a query into words; `"…"` keeps spaces inside one word, a leading `-` excludes it. */
function queryWords(q: string): { text: string; exclude: boolean }[] {
  const words: { text: string; exclude: boolean }[] = [];
  for (const m of q.matchAll(/(-?)(?:"([^"]*)"?|(\S+))/g)) {
    const text = m[2] ?? m[3] ?? '';
    words.push({ text, exclude: m[1] === '-' && text !== '' });
  }
  return words;
}

function invalidQuery(reason: string): GongjikError {
  return new GongjikError('ERR_MAIL_SEARCH_QUERY_INVALID', { reason });
}

/**
 * Turns what the user typed into a `tsquery`. Returns null when the query has nothing searchable
 * (empty, or only punctuation). Refuses a query over 256 characters or 32 terms, and one made only
 * of exclusions (it could not use the index), with `ERR_MAIL_SEARCH_QUERY_INVALID`.
 */
export function parseSearchQuery(q: string, options: { scope?: readonly string[] } = {}): SearchQuery | null {
  if (typeof q !== 'string') throw invalidQuery('not-text');
  if (q.length > MAX_QUERY_LENGTH) throw invalidQuery('too-long');
  const required = new Set<string>();
  const excluded: string[][] = [];
  let count = 0;
  for (const word of queryWords(q)) {
    const terms = queryTerms(word.text);
    if (terms.length === 0) continue;
    count += terms.length;
    if (count > MAX_QUERY_TERMS) throw invalidQuery('too-many-terms');
    if (word.exclude) excluded.push([...new Set(terms)]);
    else for (const t of terms) required.add(t);
  }
  if (required.size === 0) {
    if (excluded.length > 0) throw invalidQuery('only-exclusions');
    return null;
  }
  const scope = (options.scope ?? []).map(quoteLexeme);
  const parts = [...scope, ...required, ...excluded.map((g) => `!(${g.join(' & ')})`)];
  return { tsquery: parts.join(' & '), required: [...required], excluded };
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
function ident(name: string): string {
  if (!IDENT.test(name)) throw new GongjikError('ERR_INPUT_INVALID', { field: 'sql identifier' });
  return name;
}

/** `CREATE INDEX … USING gin (column)` for the search vector column. */
export function searchIndexSql(
  table: string,
  column = 'search_vector',
  index = `${table}_${column}_idx`,
): string {
  return `CREATE INDEX IF NOT EXISTS ${ident(index)} ON ${ident(table)} USING gin (${ident(column)})`;
}

/** The value expression for writing the vector: `<param>::tsvector` with the text of `searchVector()`. */
export function searchVectorValueSql(param: string): string {
  return `${param}::tsvector`;
}

/** The WHERE condition: `column @@ <param>::tsquery` with the text of `parseSearchQuery().tsquery`. */
export function searchMatchSql(column: string, param: string): string {
  return `${ident(column)} @@ ${param}::tsquery`;
}

/** A relevance score for ORDER BY (see Ranking above): subject hits weigh most. */
export function searchRankSql(column: string, param: string): string {
  return `ts_rank(${ident(column)}, ${param}::tsquery)`;
}

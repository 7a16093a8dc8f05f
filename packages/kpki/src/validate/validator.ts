import { type ErrorCode, GongjikError } from '@gongjik/errors';
import {
  AKI_MISSING,
  constrainedNames,
  describe,
  KEY_USAGES,
  type KeyUsageName,
  type ParsedCertificate,
  parseCertificate,
} from './cert.ts';
import { type CryptoVerifier, signatureAlgorithmOf, webCryptoVerifier } from './crypto.ts';
import { bytesKey } from './der.ts';
import { NameConstraintState } from './names.ts';
import { PolicyProcessor } from './policy.ts';
import { type FetchLike, RevocationChecker, type RevocationMode } from './revocation.ts';

export interface ValidatorOptions {
  /** Trust anchors (DER certificates). */
  readonly anchors: readonly Uint8Array[];
  /** Untrusted intermediates the path builder may use (DER). Unparseable ones are ignored. */
  readonly intermediates?: readonly Uint8Array[];
  /** Signature verifier; defaults to WebCrypto. In Node, `nodeCrypto` from `@gongjik/kpki/node` is faster. */
  readonly crypto?: CryptoVerifier;
  /** Used for CRL distribution points and OCSP responders named in certificates. */
  readonly fetch?: FetchLike;
  readonly revocation: RevocationMode;
  /** CRLs (DER) known up front. More can be added with `addCrl`. */
  readonly crls?: readonly Uint8Array[];
  /** Most intermediates (not counting self-issued ones) a path may have. Default 8. */
  readonly maxIntermediates?: number;
  /** Lifetime of OCSP answers without nextUpdate and of 'prefer' results without revocation data. Default 5 min. */
  readonly revocationFallbackLifetimeMs?: number;
  /** Largest name-constraint work (names × subtrees) accepted before refusing. Default 250 000. */
  readonly nameConstraintBudget?: number;
}

export interface ValidateOptions {
  /** The validation time (the injected clock). Compared at one-second granularity. */
  readonly at: Date;
  /** user-initial-policy-set (policy OIDs); default any-policy. */
  readonly initialPolicies?: readonly string[];
  /** initial-explicit-policy; defaults to true when initialPolicies is given, false otherwise. */
  readonly requireExplicitPolicy?: boolean;
  /** Key usages the leaf must allow (when it has a keyUsage extension). */
  readonly keyUsage?: readonly KeyUsageName[];
  /** Extended key usages the leaf must allow (when it has an extKeyUsage extension): OIDs or short names. */
  readonly extKeyUsage?: readonly string[];
}

export interface ValidationResult {
  /** The certification path, leaf first, trust anchor last. */
  readonly path: readonly ParsedCertificate[];
  /** Valid policy OIDs for the leaf (empty when no policy is valid and none was required). */
  readonly policies: readonly string[];
  readonly revocation: { readonly method: 'crl' | 'ocsp' | 'none'; readonly checkedAt: Date };
}

export interface Validator {
  validate(leafDer: Uint8Array, options: ValidateOptions): Promise<ValidationResult>;
  /** Adds a CRL (DER) to the store; cached chains re-check revocation. Throws ERR_PKI_CRL_INVALID if unreadable. */
  addCrl(der: Uint8Array): void;
  /** Drops cached chains (parsed certificates, CRLs and OCSP answers stay). */
  clearCache(): void;
  /** Counters for tests and metrics. */
  readonly stats: { chainHits: number; chainMisses: number; signatureChecks: number };
}

const EKU_NAMES: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
};
const ANY_EKU = '2.5.29.37.0';

/** Path-search limits: pathological inputs (cycles, many look-alike CAs) end in ERR_PKI_NO_PATH quickly. */
const MAX_EXPANSIONS = 2_000;
const MAX_COMPLETE_PATHS = 16;

interface CachedChain {
  readonly result: Omit<ValidationResult, 'revocation'>;
  readonly method: 'crl' | 'ocsp' | 'none';
  readonly checkedAt: Date;
  readonly from: number;
  readonly until: number;
  readonly generation: number;
}

type Details = Record<string, string | number>;

function fail(code: ErrorCode, details: Details): never {
  throw new GongjikError(code, details);
}

/**
 * Creates an RFC 5280 §6 path validator over fixed trust anchors, with caches: parsed certificates,
 * signature verdicts, CRLs (until nextUpdate), OCSP answers (until nextUpdate) and validated chains
 * (until the earliest notAfter or revocation-data expiry in the chain).
 */
export function createValidator(options: ValidatorOptions): Validator {
  const crypto = options.crypto ?? webCryptoVerifier();
  const maxIntermediates = options.maxIntermediates ?? 8;
  const ncBudget = options.nameConstraintBudget ?? 250_000;
  const stats = { chainHits: 0, chainMisses: 0, signatureChecks: 0 };

  const anchors = options.anchors.map((der) => parseCertificate(der));
  const anchorKeys = new Set(anchors.map((a) => a.key));
  const intermediates: ParsedCertificate[] = [];
  for (const der of options.intermediates ?? []) {
    try {
      const c = parseCertificate(der);
      if (!anchorKeys.has(c.key)) intermediates.push(c);
    } catch {
      // An unreadable untrusted intermediate simply cannot be part of a path.
    }
  }
  const bySubject = new Map<string, { cert: ParsedCertificate; anchor: boolean }[]>();
  for (const [list, anchor] of [
    [anchors, true],
    [intermediates, false],
  ] as const) {
    for (const cert of list) {
      const entry = bySubject.get(cert.subject.key) ?? [];
      entry.push({ cert, anchor });
      bySubject.set(cert.subject.key, entry);
    }
  }

  const signatureCache = new Map<string, Promise<boolean>>();
  const verify = (
    algId: Uint8Array,
    spki: Uint8Array,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean> => {
    const key = `${bytesKey(data)}\u0000${bytesKey(signature)}\u0000${bytesKey(spki)}`;
    let p = signatureCache.get(key);
    if (!p) {
      const alg = signatureAlgorithmOf(algId);
      stats.signatureChecks++;
      p = Promise.resolve(crypto.verify(alg, spki, signature, data));
      if (signatureCache.size > 5_000) signatureCache.clear();
      signatureCache.set(key, p);
    }
    return p;
  };

  const revocation = new RevocationChecker({
    crypto,
    verify,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.crls ? { crls: options.crls } : {}),
    defaultLifetimeMs: options.revocationFallbackLifetimeMs ?? 5 * 60_000,
    maxCrlBytes: 64 * 1024 * 1024,
  });

  const chains = new Map<string, CachedChain>();

  /** Candidate issuers of `cert`, trust anchors first, those valid at `at` before the others. */
  function issuersOf(cert: ParsedCertificate, at: number): { cert: ParsedCertificate; anchor: boolean }[] {
    const list = bySubject.get(cert.issuer.key);
    if (!list) return [];
    return list
      .filter(
        (c) => !(cert.authorityKeyId && c.cert.subjectKeyId && cert.authorityKeyId !== c.cert.subjectKeyId),
      )
      .sort((a, b) => {
        if (a.anchor !== b.anchor) return a.anchor ? -1 : 1;
        const av = a.cert.notBefore.getTime() <= at && at <= a.cert.notAfter.getTime();
        const bv = b.cert.notBefore.getTime() <= at && at <= b.cert.notAfter.getTime();
        if (av !== bv) return av ? -1 : 1;
        return b.cert.notBefore.getTime() - a.cert.notBefore.getTime();
      });
  }

  /** Depth-first path search from the leaf up to an anchor, bounded in depth and total work. */
  function* paths(leaf: ParsedCertificate, at: number): Generator<ParsedCertificate[]> {
    if (anchorKeys.has(leaf.key)) {
      yield [leaf];
      return;
    }
    let expansions = 0;
    let complete = 0;
    const maxLength = 2 * maxIntermediates + 2;
    const path: ParsedCertificate[] = [leaf];
    const used = new Set<string>([leaf.key, `${leaf.subject.key}\u0000${bytesKey(leaf.spki)}`]);
    function* walk(): Generator<ParsedCertificate[]> {
      const tip = path[path.length - 1] as ParsedCertificate;
      for (const candidate of issuersOf(tip, at)) {
        if (++expansions > MAX_EXPANSIONS || complete >= MAX_COMPLETE_PATHS) return;
        const c = candidate.cert;
        const identity = `${c.subject.key}\u0000${bytesKey(c.spki)}`;
        if (used.has(c.key) || (!candidate.anchor && used.has(identity))) continue;
        path.push(c);
        if (candidate.anchor) {
          complete++;
          yield [...path];
        } else if (path.length < maxLength) {
          used.add(c.key);
          used.add(identity);
          yield* walk();
          used.delete(c.key);
          used.delete(identity);
        }
        path.pop();
      }
    }
    yield* walk();
  }

  /** RFC 5280 §6.1 over one path (leaf first). Returns the valid policies or throws the first failure. */
  async function processPath(
    leafFirst: ParsedCertificate[],
    opts: ValidateOptions,
    at: number,
  ): Promise<string[]> {
    const p = [...leafFirst].reverse(); // p[0] is the anchor, p[n] the leaf
    const n = p.length - 1;
    const detailsOf = (i: number): Details => ({
      depth: n - i,
      subject: describe(p[i] as ParsedCertificate),
    });

    for (let i = 0; i <= n; i++) {
      const cert = p[i] as ParsedCertificate;
      // A trust anchor is an input, not a path member: a missing AKI (for path building) does not matter there.
      const problems = i === 0 ? cert.problems.filter((p) => p !== AKI_MISSING) : cert.problems;
      if (problems.length > 0)
        fail('ERR_PKI_CERT_MALFORMED', { ...detailsOf(i), reason: problems[0] as string });
      if (cert.unknownCritical.length > 0)
        fail('ERR_PKI_UNKNOWN_CRITICAL_EXTENSION', {
          ...detailsOf(i),
          extension: cert.unknownCritical[0] as string,
        });
    }
    for (let i = n; i >= 0; i--) {
      const cert = p[i] as ParsedCertificate;
      if (at < cert.notBefore.getTime())
        fail('ERR_PKI_CERT_NOT_YET_VALID', { ...detailsOf(i), notBefore: cert.notBefore.toISOString() });
      if (at > cert.notAfter.getTime())
        fail('ERR_PKI_CERT_EXPIRED', { ...detailsOf(i), notAfter: cert.notAfter.toISOString() });
    }

    const nc = new NameConstraintState(ncBudget);
    const initialPolicies =
      opts.initialPolicies && opts.initialPolicies.length > 0 ? opts.initialPolicies : undefined;
    const policy = new PolicyProcessor(n, {
      ...(initialPolicies ? { initialPolicies } : {}),
      initialExplicitPolicy: opts.requireExplicitPolicy ?? initialPolicies !== undefined,
    });
    let maxPathLength = n;
    let logical = 0;

    const checkIssuer = (i: number) => {
      const cert = p[i] as ParsedCertificate;
      const d = detailsOf(i);
      if (cert.version < 3 || !cert.basicConstraints?.cA) fail('ERR_PKI_NOT_A_CA', d);
      if (!cert.basicConstraints.critical)
        fail('ERR_PKI_CERT_MALFORMED', { ...d, reason: 'basicConstraints of a CA not critical' });
      if (cert.keyUsage && !cert.keyUsage.has('keyCertSign'))
        fail('ERR_PKI_KEY_USAGE', { ...d, reason: 'keyCertSign not set' });
      if (cert.subjectKeyId === undefined)
        fail('ERR_PKI_CERT_MALFORMED', { ...d, reason: 'subjectKeyIdentifier missing in a CA certificate' });
      if (cert.subject.rdns.length === 0)
        fail('ERR_PKI_CERT_MALFORMED', { ...d, reason: 'empty subject in a CA certificate' });
      if (cert.basicConstraints.pathLen !== undefined)
        maxPathLength = Math.min(maxPathLength, cert.basicConstraints.pathLen);
      if (cert.nameConstraints) {
        if (!cert.nameConstraints.critical)
          fail('ERR_PKI_NAME_CONSTRAINTS', { ...d, reason: 'nameConstraints not critical' });
        try {
          nc.add(cert.nameConstraints.permitted, cert.nameConstraints.excluded);
        } catch (err) {
          if (err instanceof GongjikError) throw new GongjikError(err.code, { ...d, ...err.details });
          throw err;
        }
      }
    };

    // The trust anchor: its constraints bind the path (RFC 5937 style); its own signature is not checked.
    if (n > 0) checkIssuer(0);

    for (let i = 1; i <= n; i++) {
      const cert = p[i] as ParsedCertificate;
      const issuer = p[i - 1] as ParsedCertificate;
      const d = detailsOf(i);
      if (!(await verify(cert.signatureAlgorithm, issuer.spki, cert.signature, cert.tbs)))
        fail('ERR_PKI_SIGNATURE_INVALID', d);
      if (!cert.selfIssued || i === n) nc.check(constrainedNames(cert), d);
      policy.process(i, cert, d);
      if (i < n) {
        if (!cert.selfIssued) {
          if (maxPathLength <= 0) fail('ERR_PKI_PATH_LENGTH_EXCEEDED', d);
          maxPathLength--;
          if (++logical > maxIntermediates)
            fail('ERR_PKI_PATH_LENGTH_EXCEEDED', { ...d, reason: 'too many intermediates' });
        }
        checkIssuer(i);
        policy.prepare(cert, d);
      }
    }

    const leaf = p[n] as ParsedCertificate;
    const d = detailsOf(n);
    const leafIsCa = leaf.basicConstraints?.cA === true;
    if (leaf.nameConstraints && !leafIsCa)
      fail('ERR_PKI_CERT_MALFORMED', { ...d, reason: 'nameConstraints in an end-entity certificate' });
    if (leaf.keyUsage?.has('keyCertSign') && !leafIsCa)
      fail('ERR_PKI_KEY_USAGE', { ...d, reason: 'keyCertSign without cA' });
    for (const usage of opts.keyUsage ?? []) {
      if (!(KEY_USAGES as readonly string[]).includes(usage))
        throw new TypeError(`unknown key usage ${usage}`);
      if (leaf.keyUsage && !leaf.keyUsage.has(usage)) fail('ERR_PKI_KEY_USAGE', { ...d, required: usage });
    }
    for (const wanted of opts.extKeyUsage ?? []) {
      const oid = EKU_NAMES[wanted] ?? wanted;
      if (leaf.extKeyUsage && !leaf.extKeyUsage.includes(oid) && !leaf.extKeyUsage.includes(ANY_EKU)) {
        fail('ERR_PKI_EXT_KEY_USAGE', { ...d, required: wanted });
      }
    }
    return n === 0 ? [] : policy.finish(leaf, d);
  }

  async function validate(leafDer: Uint8Array, opts: ValidateOptions): Promise<ValidationResult> {
    if (!(opts.at instanceof Date) || Number.isNaN(opts.at.getTime()))
      throw new TypeError('validate needs options.at (a Date)');
    // Certificate times have one-second granularity: compare at floor(at).
    const atMs = Math.floor(opts.at.getTime() / 1000) * 1000;
    const cacheKey = `${bytesKey(leafDer)}\u0000${JSON.stringify([opts.initialPolicies, opts.requireExplicitPolicy, opts.keyUsage, opts.extKeyUsage])}`;
    const hit = chains.get(cacheKey);
    if (hit && hit.generation === revocation.generation && atMs >= hit.from && atMs <= hit.until) {
      stats.chainHits++;
      return { ...hit.result, revocation: { method: hit.method, checkedAt: hit.checkedAt } };
    }
    stats.chainMisses++;
    const leaf = parseCertificate(leafDer);
    // Defects of the leaf itself fail every path: report them before searching.
    const leafDetails = { depth: 0, subject: describe(leaf) };
    if (leaf.problems.length > 0 && !anchorKeys.has(leaf.key))
      fail('ERR_PKI_CERT_MALFORMED', { ...leafDetails, reason: leaf.problems[0] as string });
    if (leaf.unknownCritical.length > 0)
      fail('ERR_PKI_UNKNOWN_CRITICAL_EXTENSION', {
        ...leafDetails,
        extension: leaf.unknownCritical[0] as string,
      });
    const at = new Date(atMs);
    let firstError: unknown;
    for (const candidate of paths(leaf, atMs)) {
      try {
        const policies = await processPath(candidate, opts, atMs);
        let from = Math.max(...candidate.map((c) => c.notBefore.getTime()));
        let until = Math.min(...candidate.map((c) => c.notAfter.getTime()));
        let method: 'crl' | 'ocsp' | 'none' = 'none';
        for (let i = candidate.length - 2; i >= 0; i--) {
          const status = await revocation.check(
            candidate[i] as ParsedCertificate,
            candidate[i + 1] as ParsedCertificate,
            at,
            options.revocation,
            i,
          );
          from = Math.max(from, status.from.getTime());
          until = Math.min(until, status.until.getTime());
          if (i === 0) method = status.method;
        }
        const result = { path: candidate, policies };
        if (chains.size >= 10_000) chains.delete(chains.keys().next().value as string);
        chains.set(cacheKey, {
          result,
          method,
          checkedAt: at,
          from,
          until,
          generation: revocation.generation,
        });
        return { ...result, revocation: { method, checkedAt: at } };
      } catch (err) {
        firstError ??= err;
      }
    }
    if (firstError !== undefined) throw firstError;
    throw new GongjikError('ERR_PKI_NO_PATH', { subject: describe(leaf) });
  }

  return {
    validate,
    addCrl(der) {
      revocation.addCrl(der);
    },
    clearCache() {
      chains.clear();
    },
    stats,
  };
}

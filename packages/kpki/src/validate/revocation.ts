import { GongjikError } from '@gongjik/errors';
import { describe, type ParsedCertificate } from './cert.ts';
import { type ParsedCrl, parseCrl } from './crl.ts';
import type { CryptoVerifier } from './crypto.ts';
import { bytesKey } from './der.ts';
import { buildOcspRequest, certIdentity, checkOcspResponse } from './ocsp.ts';

export type RevocationMode = 'require' | 'prefer' | 'none';

/** What `fetch` must look like: the global `fetch` fits. */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: Uint8Array },
) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

export interface RevocationStatus {
  readonly method: 'crl' | 'ocsp' | 'none';
  /** The answer holds from `from` to `until` (CRL thisUpdate/nextUpdate, OCSP thisUpdate/nextUpdate). */
  readonly from: Date;
  readonly until: Date;
}

type SignatureCheck = (
  algId: Uint8Array,
  spki: Uint8Array,
  signature: Uint8Array,
  data: Uint8Array,
) => Promise<boolean>;

interface OcspCacheEntry {
  readonly status: 'good' | 'revoked';
  readonly from: Date;
  readonly until: Date;
  readonly revokedAt?: Date;
}

export interface RevocationCheckerOptions {
  readonly crypto: CryptoVerifier;
  readonly verify: SignatureCheck;
  readonly fetch?: FetchLike;
  readonly crls?: readonly Uint8Array[];
  /** How long an OCSP answer without nextUpdate, or a 'prefer' answer with no data, is trusted (ms). */
  readonly defaultLifetimeMs: number;
  readonly maxCrlBytes: number;
}

/**
 * Revocation by CRL (RFC 5280 §6.3, complete CRLs from the certificate's issuer) and OCSP
 * (RFC 6960), with caches: CRLs by issuer until nextUpdate, OCSP answers until nextUpdate.
 */
export class RevocationChecker {
  private readonly opts: RevocationCheckerOptions;
  /** issuer name key → CRLs from that issuer. */
  private readonly crlsByIssuer = new Map<string, ParsedCrl[]>();
  private readonly crlKeys = new Set<string>();
  /** CRL key + issuer SPKI → verdict of the CRL's signature and issuer checks. */
  private readonly crlVerdicts = new Map<string, string | true>();
  private readonly ocspCache = new Map<string, OcspCacheEntry>();
  /** Bumped whenever a CRL is added, so cached chains re-read revocation. */
  generation = 0;

  constructor(opts: RevocationCheckerOptions) {
    this.opts = opts;
    for (const der of opts.crls ?? []) this.addCrl(der);
  }

  /** Adds a CRL (DER). Throws ERR_PKI_CRL_INVALID if it cannot be parsed. */
  addCrl(der: Uint8Array): ParsedCrl {
    const crl = parseCrl(der);
    if (this.crlKeys.has(crl.key)) return crl;
    this.crlKeys.add(crl.key);
    const list = this.crlsByIssuer.get(crl.issuer.key) ?? [];
    list.push(crl);
    // Newest first: the highest CRL number, then the latest thisUpdate.
    list.sort((a, b) => {
      const an = a.crlNumber ?? -1n;
      const bn = b.crlNumber ?? -1n;
      if (an !== bn) return an > bn ? -1 : 1;
      return b.thisUpdate.getTime() - a.thisUpdate.getTime();
    });
    if (list.length > 8) for (const old of list.splice(8)) this.crlKeys.delete(old.key);
    this.crlsByIssuer.set(crl.issuer.key, list);
    this.generation++;
    return crl;
  }

  /**
   * The revocation status of `cert` (issued by `issuer`) at `at`. Throws ERR_PKI_REVOKED when revoked;
   * under 'require', throws ERR_PKI_CRL_INVALID / ERR_PKI_OCSP_INVALID / ERR_PKI_REVOCATION_UNKNOWN
   * when no valid answer is available.
   */
  async check(
    cert: ParsedCertificate,
    issuer: ParsedCertificate,
    at: Date,
    mode: RevocationMode,
    depth: number,
  ): Promise<RevocationStatus> {
    const details = { depth, subject: describe(cert) };
    if (mode === 'none') return { method: 'none', from: at, until: new Date(8.64e15) };
    const failures: GongjikError[] = [];

    const ocspKey = `${bytesKey(issuer.spki)}\u0000${cert.serial}`;
    const cached = this.ocspCache.get(ocspKey);
    if (cached && at >= cached.from && at <= cached.until) return this.fromOcsp(cached, details);

    const fromCrl = await this.checkCrls(cert, issuer, at, details, failures);
    if (fromCrl) return fromCrl;

    const fetch = this.opts.fetch;
    if (fetch) {
      for (const url of cert.ocspUrls.filter(isHttp)) {
        try {
          const id = await certIdentity(cert, issuer, this.opts.crypto);
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
            body: buildOcspRequest(id),
          });
          if (!res.ok) throw new GongjikError('ERR_PKI_OCSP_INVALID', { reason: `HTTP ${res.status}` });
          const answer = await checkOcspResponse(new Uint8Array(await res.arrayBuffer()), {
            cert,
            issuer,
            id,
            at,
            crypto: this.opts.crypto,
            verify: this.opts.verify,
            skewMs: 5 * 60_000,
          });
          if (answer.status === 'unknown') continue;
          const entry: OcspCacheEntry = {
            status: answer.status,
            from: new Date(Math.min(answer.thisUpdate.getTime(), at.getTime())),
            until: answer.nextUpdate ?? new Date(at.getTime() + this.opts.defaultLifetimeMs),
            ...(answer.revokedAt ? { revokedAt: answer.revokedAt } : {}),
          };
          if (this.ocspCache.size > 10_000) this.ocspCache.clear();
          this.ocspCache.set(ocspKey, entry);
          return this.fromOcsp(entry, details);
        } catch (err) {
          if (err instanceof GongjikError && err.code === 'ERR_PKI_REVOKED') throw err;
          failures.push(
            err instanceof GongjikError
              ? err
              : new GongjikError(
                  'ERR_PKI_OCSP_INVALID',
                  { ...details, reason: 'responder unreachable' },
                  { cause: err },
                ),
          );
        }
      }
      let fetched = false;
      for (const url of cert.crlUrls.filter(isHttp)) {
        try {
          const res = await fetch(url);
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const body = new Uint8Array(await res.arrayBuffer());
          if (body.length > this.opts.maxCrlBytes) throw new Error('CRL too large');
          this.addCrl(body);
          fetched = true;
        } catch (err) {
          failures.push(
            err instanceof GongjikError
              ? err
              : new GongjikError(
                  'ERR_PKI_REVOCATION_UNKNOWN',
                  { ...details, reason: 'CRL unreachable' },
                  { cause: err },
                ),
          );
        }
      }
      if (fetched) {
        const again = await this.checkCrls(cert, issuer, at, details, failures);
        if (again) return again;
      }
    }

    if (mode === 'prefer')
      return { method: 'none', from: at, until: new Date(at.getTime() + this.opts.defaultLifetimeMs) };
    const specific = failures.find(
      (f) => f.code === 'ERR_PKI_CRL_INVALID' || f.code === 'ERR_PKI_OCSP_INVALID',
    );
    if (specific)
      throw new GongjikError(specific.code, { ...details, ...specific.details }, { cause: specific });
    throw new GongjikError('ERR_PKI_REVOCATION_UNKNOWN', details);
  }

  private fromOcsp(entry: OcspCacheEntry, details: { depth: number; subject: string }): RevocationStatus {
    if (entry.status === 'revoked') {
      throw new GongjikError('ERR_PKI_REVOKED', {
        ...details,
        method: 'ocsp',
        ...(entry.revokedAt ? { revokedAt: entry.revokedAt.toISOString() } : {}),
      });
    }
    return { method: 'ocsp', from: entry.from, until: entry.until };
  }

  private async checkCrls(
    cert: ParsedCertificate,
    issuer: ParsedCertificate,
    at: Date,
    details: { depth: number; subject: string },
    failures: GongjikError[],
  ): Promise<RevocationStatus | undefined> {
    const list = this.crlsByIssuer.get(cert.issuer.key);
    if (!list) return undefined;
    const isCa = cert.basicConstraints?.cA === true;
    for (const crl of list) {
      if (crl.authorityKeyId && issuer.subjectKeyId && crl.authorityKeyId !== issuer.subjectKeyId) continue;
      if (crl.delta || crl.partial) continue;
      if ((crl.onlyCaCerts && !isCa) || (crl.onlyUserCerts && isCa)) continue;
      const verdict = await this.crlVerdict(crl, issuer);
      const reason =
        verdict !== true
          ? verdict
          : !crl.nextUpdate
            ? 'nextUpdate missing'
            : at < crl.thisUpdate
              ? 'CRL not yet valid'
              : at > crl.nextUpdate
                ? 'CRL expired'
                : undefined;
      if (reason !== undefined) {
        failures.push(new GongjikError('ERR_PKI_CRL_INVALID', { ...details, reason }));
        continue;
      }
      const entry = crl.revoked.get(cert.serial);
      if (entry && entry.revokedAt <= at && entry.reason !== 8) {
        throw new GongjikError('ERR_PKI_REVOKED', {
          ...details,
          method: 'crl',
          revokedAt: entry.revokedAt.toISOString(),
        });
      }
      return { method: 'crl', from: crl.thisUpdate, until: crl.nextUpdate as Date };
    }
    return undefined;
  }

  private async crlVerdict(crl: ParsedCrl, issuer: ParsedCertificate): Promise<string | true> {
    const key = `${crl.key}\u0000${bytesKey(issuer.spki)}`;
    const known = this.crlVerdicts.get(key);
    if (known !== undefined) return known;
    let verdict: string | true = true;
    if (crl.problems.length > 0) verdict = crl.problems[0] as string;
    else if (issuer.keyUsage && !issuer.keyUsage.has('cRLSign'))
      verdict = 'issuer may not sign CRLs (keyUsage)';
    else if (!(await this.opts.verify(crl.signatureAlgorithm, issuer.spki, crl.signature, crl.tbs)))
      verdict = 'bad CRL signature';
    if (this.crlVerdicts.size > 1000) this.crlVerdicts.clear();
    this.crlVerdicts.set(key, verdict);
    return verdict;
  }
}

function isHttp(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

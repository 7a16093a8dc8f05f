// Verifying a GPKI/EPKI signature over a document (detached CMS, .p7s) the way the /verify page and
// `gongjik sign verify` both do: the CMS signature over the document, then the signer certificate's
// path to the published trust anchors at the signing time, then the published CRLs. Browser-safe.
import { GongjikError, isGongjikError } from '@gongjik/errors';
import type { CertificateClass } from '../cert/classify.ts';
import { describeCertificate } from '../cert/describe.ts';
import { parseCertificate as parseForValidation } from '../validate/cert.ts';
import { parseCrl } from '../validate/crl.ts';
import { createValidator } from '../validate/validator.ts';
import { verifyCmsDetached } from './cms-verify.ts';
import type { WebCrypto } from './webcrypto.ts';

export interface DocumentTrust {
  /** Trust anchors (DER), e.g. the GPKI root. */
  readonly anchors: readonly Uint8Array[];
  readonly intermediates?: readonly Uint8Array[];
  /** CRLs (DER) published with the anchors. */
  readonly crls?: readonly Uint8Array[];
}

export interface VerifiedDocumentSignature {
  readonly signer: {
    readonly name: string | null;
    readonly commonName: string;
    readonly class: CertificateClass;
    readonly issuer: string;
    readonly serial: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
    readonly fingerprintSha256: string;
  };
  /** The signingTime attribute (the signer's claim; null when absent). */
  readonly signingTime: Date | null;
  /** When the certificate path was validated: the signing time, or `now` without one. */
  readonly validatedAt: Date;
  /** The certificate was revoked after signing (the signature stays valid; shown as a warning). */
  readonly revokedAfterSigning: Date | null;
  readonly documentMatched: true;
}

const cnOf = (text: string) => /(?:^|,\s*)CN=([^,]+)/.exec(text)?.[1] ?? text;

/**
 * Verifies a detached CMS over `document`. Refusals: ERR_SIGN_DOCUMENT_CHANGED (not this document),
 * ERR_SIGN_BUNDLE_TAMPERED (unreadable CMS or a bad signature), ERR_SIGN_CERT_UNTRUSTED (no valid
 * path to the anchors at the signing time, or revoked before it; `reason` = the kpki code).
 * Limits: without a timestamp authority the signing time is the signer's claim.
 */
export async function verifyDocumentSignature(
  cms: Uint8Array,
  document: Uint8Array,
  options: { readonly trust: DocumentTrust; readonly now: Date; readonly crypto?: WebCrypto },
): Promise<VerifiedDocumentSignature> {
  let verified: Awaited<ReturnType<typeof verifyCmsDetached>>;
  try {
    verified = await verifyCmsDetached(cms, document, options.crypto ? { crypto: options.crypto } : {});
  } catch (err) {
    const code = isGongjikError(err) ? err.code : undefined;
    if (code === 'ERR_PKI_CMS_CONTENT_MISMATCH')
      throw new GongjikError('ERR_SIGN_DOCUMENT_CHANGED', {}, { cause: err });
    if (code === 'ERR_PKI_ALGORITHM_UNSUPPORTED') throw err;
    throw new GongjikError('ERR_SIGN_BUNDLE_TAMPERED', { part: 'cms' }, { cause: err });
  }
  const leafDer = verified.signerCertDer;
  const at =
    verified.signingTime && verified.signingTime.getTime() <= options.now.getTime() + 60_000
      ? verified.signingTime
      : options.now;
  const validator = createValidator({
    anchors: options.trust.anchors,
    intermediates: [...(options.trust.intermediates ?? []), ...verified.certificates],
    revocation: 'none',
  });
  try {
    await validator.validate(leafDer, { at, keyUsage: ['digitalSignature'] });
  } catch (err) {
    const reason = isGongjikError(err) ? err.code : 'ERR_PKI_NO_PATH';
    throw new GongjikError('ERR_SIGN_CERT_UNTRUSTED', { reason }, { cause: err });
  }
  // Revocation from the published CRLs of the signer's issuer: before signing refuses, after warns.
  const leaf = parseForValidation(leafDer);
  let revokedAfterSigning: Date | null = null;
  for (const der of options.trust.crls ?? []) {
    let crl: ReturnType<typeof parseCrl>;
    try {
      crl = parseCrl(der);
    } catch {
      continue;
    }
    if (crl.issuer.key !== leaf.issuer.key) continue;
    const entry = crl.revoked.get(leaf.serial);
    if (!entry) continue;
    if (entry.revokedAt.getTime() <= at.getTime())
      throw new GongjikError('ERR_SIGN_CERT_UNTRUSTED', { reason: 'ERR_PKI_REVOKED' });
    revokedAfterSigning = entry.revokedAt;
  }
  const d = await describeCertificate(leafDer, options.crypto ? { crypto: options.crypto } : {});
  return {
    signer: {
      name: d.holderName,
      commonName: cnOf(leaf.subject.text),
      class: d.class,
      issuer: cnOf(leaf.issuer.text),
      serial: d.serial,
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      fingerprintSha256: d.fingerprintSha256,
    },
    signingTime: verified.signingTime,
    validatedAt: at,
    revokedAfterSigning,
    documentMatched: true,
  };
}

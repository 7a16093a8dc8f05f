import { GongjikError } from '@gongjik/errors';
import type { CertificateClass } from './classify.ts';

/** Longest holder name we accept, in code points. */
const MAX_NAME_LENGTH = 64;

/** Letters and combining marks, words joined by one of ` .·'-` (a space included). */
const NAME_SHAPE = /^[\p{L}\p{M}]+(?:[ .·'-]+[\p{L}\p{M}]+)*$/u;

/** NPKI: `홍길동()0010023400506789012345` — the name, a parenthesised part (often empty), digits. */
const NPKI_CN = /^(.+?)\(([^()]*)\)(\d+)$/su;

/** GPKI/EPKI: `850홍길동001` — digits, the name, digits (either run may be absent). */
const GPKI_CN = /^\d*(.*?)\d*$/su;

function unreadable(reason: string): GongjikError {
  return new GongjikError('ERR_PKI_NAME_UNREADABLE', { reason });
}

/**
 * The holder's name from a certificate CN. GPKI/EPKI CNs wrap the name in digit runs
 * (`850홍길동001` → `홍길동`); NPKI CNs append `()` and an identifier (`홍길동()001002…` → `홍길동`).
 * Inner spaces are kept (`류 시원` stays `류 시원`); the result is NFC. Throws ERR_PKI_NAME_UNREADABLE
 * when no plausible name is left.
 */
export function extractHolderName(cn: string | null | undefined, cls?: CertificateClass): string {
  if (typeof cn !== 'string') throw unreadable('no-cn');
  if (cn.length > 4 * MAX_NAME_LENGTH) throw unreadable('too-long');
  const text = cn.normalize('NFC').trim();
  let name: string | undefined;
  const npki = NPKI_CN.exec(text);
  if (npki && cls !== 'gpki-personal' && cls !== 'epki-personal' && cls !== 'gpki-special') {
    name = npki[1];
  } else {
    name = GPKI_CN.exec(text)?.[1];
  }
  name = (name ?? '').trim();
  if (name.length === 0) throw unreadable('empty');
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) throw unreadable('too-long');
  // A person's name has a family and a given name: at least two letters (`이 훈` counts three).
  if (length < 2) throw unreadable('too-short');
  if (!NAME_SHAPE.test(name)) throw unreadable('not-a-name');
  return name;
}

export type NameMismatchReason = 'space' | 'character' | 'length';

export interface NameDifference {
  /** Index (in code points, after NFC) of the first difference. */
  readonly index: number;
  readonly reason: NameMismatchReason;
}

const SPACE = /^\s$/u;

/** Where two names differ after NFC, or null when they are equal. */
export function nameDifference(certName: string, accountName: string): NameDifference | null {
  const a = [...certName.normalize('NFC')];
  const b = [...accountName.normalize('NFC')];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if ((x !== undefined && SPACE.test(x)) || (y !== undefined && SPACE.test(y)))
      return { index: i, reason: 'space' };
    if (x === undefined || y === undefined) return { index: i, reason: 'length' };
    return { index: i, reason: 'character' };
  }
  return null;
}

/**
 * The certificate's name must equal the account's real name exactly after Unicode NFC — no trimming,
 * no folding of inner spaces (`류 시원` ≠ `류시원`). An NFD name (as macOS produces) equals its NFC
 * twin. Throws ERR_AUTH_NAME_MISMATCH with { certName, accountName, index, reason }.
 */
export function compareNames(certName: string, accountName: string): void {
  const difference = nameDifference(certName, accountName);
  if (!difference) return;
  throw new GongjikError('ERR_AUTH_NAME_MISMATCH', {
    certName: certName.normalize('NFC'),
    accountName: accountName.normalize('NFC'),
    index: difference.index,
    reason: difference.reason,
  });
}

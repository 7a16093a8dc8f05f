// Where an issued pair goes in the real Korean layouts, relative to a folder that can be the root
// of a USB stick:
//   GPKI/EPKI  GPKI/Certificate/class2/<CN>_sig.cer + <CN>_sig.key (and _env.cer / _env.key)
//   NPKI       NPKI/yessign/USER/<cn=…,ou=…,o=yessign,c=kr>/signCert.der + signPri.key
import type { DevCaKind, Rdns } from './profiles.ts';
import { formatRdns } from './profiles.ts';

export interface LayoutPaths {
  /** Folder holding the pair, as path segments. */
  readonly folder: readonly string[];
  readonly signCert: string;
  readonly signKey: string;
  readonly envCert?: string;
  readonly envKey?: string;
}

/** A file or folder name cannot carry a path separator or a NUL; keep everything else as is. */
function safeSegment(s: string): string {
  const cleaned = s.replace(/[/\\\0]/g, '_');
  return cleaned === '.' || cleaned === '..' ? cleaned.replace(/\./g, '_') : cleaned;
}

export function layoutPaths(kind: DevCaKind, commonName: string, subject: Rdns): LayoutPaths {
  if (kind === 'npki') {
    return {
      folder: ['NPKI', 'yessign', 'USER', safeSegment(formatRdns(subject, true))],
      signCert: 'signCert.der',
      signKey: 'signPri.key',
    };
  }
  const stem = safeSegment(commonName);
  return {
    folder: ['GPKI', 'Certificate', 'class2'],
    signCert: `${stem}_sig.cer`,
    signKey: `${stem}_sig.key`,
    envCert: `${stem}_env.cer`,
    envKey: `${stem}_env.key`,
  };
}

// The certificates the user can choose from — remembered ones and those found in a picked folder —
// and whether each can be used.
import {
  type CertificateDescription,
  describeCertificate,
  type FoundCertificate,
  normalizePath,
  type PickedFile,
  scanCertificates,
} from '@gongjik/kpki';
import { listRemembered } from './store.ts';

export interface CertificateChoice {
  /** `saved:<fingerprint>` or `folder:<path>`. */
  readonly id: string;
  readonly source: 'remembered' | 'folder';
  readonly description: CertificateDescription;
  /** The encrypted key file beside the certificate; null when it is missing. */
  readonly readKeyFile: (() => Promise<Uint8Array>) | null;
}

/** Why a certificate cannot be used; empty when it can. */
export type Blocker = 'npki' | 'unknownClass' | 'noKey' | 'expired' | 'notYetValid';

export function blockersOf(choice: CertificateChoice, now: Date): Blocker[] {
  const d = choice.description;
  const out: Blocker[] = [];
  if (d.class === 'npki') out.push('npki');
  else if (d.class === 'unknown') out.push('unknownClass');
  if (!choice.readKeyFile) out.push('noKey');
  if (d.notAfter.getTime() < now.getTime()) out.push('expired');
  else if (d.notBefore.getTime() > now.getTime()) out.push('notYetValid');
  return out;
}

/** Calendar days in Korea (UTC+9) since the epoch: how the server counts days left, too. */
const koreanDay = (d: Date) => Math.floor((d.getTime() + 9 * 3_600_000) / 86_400_000);

/**
 * Days left until a certificate expires when that is within `withinDays` (30, as the server's login
 * warning): time to renew it. Null when it is further away, or already expired (a blocker then).
 */
export function expiresWithin(choice: CertificateChoice, now: Date, withinDays = 30): number | null {
  const notAfter = choice.description.notAfter;
  if (notAfter.getTime() < now.getTime()) return null;
  const days = koreanDay(notAfter) - koreanDay(now);
  return days <= withinDays ? days : null;
}

export interface FolderScan {
  readonly choices: CertificateChoice[];
  readonly skipped: number;
  readonly truncated: boolean;
}

function folderChoice(found: FoundCertificate, files: ReadonlyMap<string, PickedFile>): CertificateChoice {
  const keyFile = found.keyPath ? files.get(found.keyPath) : undefined;
  return {
    id: `folder:${found.certPath}`,
    source: 'folder',
    description: found.description,
    readKeyFile: keyFile ? () => keyFile.read() : null,
  };
}

/** Finds the certificates in the picked files (both the GPKI/EPKI and the NPKI layout). */
export async function scanFolder(files: readonly PickedFile[], now: Date): Promise<FolderScan> {
  const result = await scanCertificates(files);
  const byPath = new Map<string, PickedFile>();
  for (const file of files) {
    const path = normalizePath(file.path);
    if (path !== null) byPath.set(path, file);
  }
  const choices = result.certificates.filter((c) => !c.description.isCa).map((c) => folderChoice(c, byPath));
  // Usable certificates first (kpki's order — soonest expiry first — is kept within each group).
  const blocked = (c: CertificateChoice) => (blockersOf(c, now).length > 0 ? 1 : 0);
  choices.sort((a, b) => blocked(a) - blocked(b));
  return {
    choices,
    skipped: result.skipped.length,
    truncated: result.truncated,
  };
}

/** Remembered certificates as choices (records that no longer parse are left out). */
export async function rememberedChoices(idb?: IDBFactory): Promise<CertificateChoice[]> {
  const out: CertificateChoice[] = [];
  for (const entry of await listRemembered(idb)) {
    try {
      const description = await describeCertificate(entry.certificate);
      out.push({
        id: `saved:${entry.id}`,
        source: 'remembered',
        description,
        readKeyFile: async () => entry.encryptedKeyFile,
      });
    } catch {
      // An unreadable record is skipped; the user can pick the folder again.
    }
  }
  return out;
}

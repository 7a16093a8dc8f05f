// Path rules of the Korean certificate layouts. Matching is case-insensitive and Unicode-NFC, because
// copies to USB sticks on Windows change case and macOS hands out NFD file names.

/** `a\b//c/` → `a/b/c`; null for paths that climb (`..`) or are empty. */
export function normalizePath(path: string): string | null {
  const segments = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.includes('..')) return null;
  return segments.join('/');
}

/** The key used to find a sibling file regardless of case and Unicode normalisation. */
export function matchKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

export interface Candidate {
  readonly layout: 'gpki' | 'npki';
  readonly certPath: string;
  /** Match keys of the files that belong with this certificate. */
  readonly keyKey: string;
  readonly envCertKey: string;
  readonly envKeyKey: string;
}

const GPKI_SIG_CERT = /^(.*)_sig\.cer$/;

/** Recognises a certificate file of either layout from its (normalised) path. */
export function candidateOf(path: string): Candidate | null {
  const key = matchKey(path);
  const slash = key.lastIndexOf('/');
  const dir = slash === -1 ? '' : key.slice(0, slash + 1);
  const base = key.slice(slash + 1);
  const gpki = GPKI_SIG_CERT.exec(base);
  if (gpki && gpki[1]!.length > 0) {
    const stem = dir + gpki[1];
    return {
      layout: 'gpki',
      certPath: path,
      keyKey: `${stem}_sig.key`,
      envCertKey: `${stem}_env.cer`,
      envKeyKey: `${stem}_env.key`,
    };
  }
  if (base === 'signcert.der') {
    return {
      layout: 'npki',
      certPath: path,
      keyKey: `${dir}signpri.key`,
      envCertKey: `${dir}kmcert.der`,
      envKeyKey: `${dir}kmpri.key`,
    };
  }
  return null;
}

/** Directory levels in a relative path (`GPKI/Certificate/class2/x_sig.cer` → 3). */
export function depthOf(path: string): number {
  let depth = 0;
  for (const c of path) if (c === '/') depth++;
  return depth;
}

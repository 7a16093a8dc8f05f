// The deployment's settings, from `/config.json` on the wallet's own origin (see ../../serve.ts):
// which issuer this wallet trusts, where the web app is, and the gate groups to choose from.

export interface GateGroup {
  readonly id: string;
  readonly name: string;
}

export interface WalletConfig {
  readonly issuer: string;
  readonly webApp: string | null;
  readonly gateGroups: readonly GateGroup[];
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Reads and checks the config (throws when it is missing or malformed). */
export function parseConfig(json: unknown): WalletConfig {
  if (!json || typeof json !== 'object') throw new Error('config.json: not an object');
  const c = json as Record<string, unknown>;
  if (!isHttpUrl(c.issuer)) throw new Error('config.json: issuer');
  const groups = Array.isArray(c.gateGroups)
    ? c.gateGroups
        .filter(
          (g): g is GateGroup =>
            !!g &&
            typeof g === 'object' &&
            typeof (g as GateGroup).id === 'string' &&
            typeof (g as GateGroup).name === 'string',
        )
        .slice(0, 50)
    : [];
  return {
    issuer: c.issuer.replace(/\/+$/, ''),
    webApp: isHttpUrl(c.webApp) ? c.webApp : null,
    gateGroups: groups,
  };
}

export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<WalletConfig> {
  const res = await fetchFn('/config.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return parseConfig(await res.json());
}

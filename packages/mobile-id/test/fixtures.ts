// Shared test set-up: an issuer key, a device key, a status list and a credential.
import {
  type DeviceKey,
  generateDeviceKey,
  generateIssuerKey,
  type IssuerKey,
  issueGateCredential,
  issueOfficialIdCredential,
  type OfficialIdClaims,
  StatusIndexAllocator,
  StatusList,
  signStatusListToken,
  toJwks,
  type VerifiedStatusList,
  verifyStatusListToken,
} from '../src/index.ts';

export const ISSUER = 'https://id.gongjik.test';
export const STATUS_URI = 'https://id.gongjik.test/status/1';
/** People are identified by UUIDs on the server; a realistic length for the QR size. */
export const SUBJECT = '0b8a1f0e-5a4c-4d3e-9f21-7c6a2d1e4b90';
export const NOW = new Date('2026-03-02T09:00:00Z');
export const VALID_FROM = new Date('2026-03-01T00:00:00Z');
export const VALID_UNTIL = new Date('2029-02-28T23:59:59Z');

export const CLAIMS: OfficialIdClaims = {
  name: '류시원',
  employee_number: '20240001234',
  agency: { name: '행정안전부', code: '1741000' },
  department: '디지털정부혁신실',
  position: '행정사무관',
  photo_digest: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
};

export function at(seconds: number): Date {
  return new Date(NOW.getTime() + seconds * 1000);
}

export interface World {
  issuerKey: IssuerKey;
  jwks: ReturnType<typeof toJwks>;
  device: DeviceKey;
  list: StatusList;
  idx: number;
  credential: string;
  gateCredential: string;
  /** Publishes the list as a signed token and returns it verified, as a gate would cache it. */
  cachedList(now?: Date): Promise<VerifiedStatusList>;
}

export async function makeWorld(): Promise<World> {
  const issuerKey = await generateIssuerKey();
  const device = await generateDeviceKey();
  const list = new StatusList(2 ** 12);
  const idx = new StatusIndexAllocator(list.size).allocate();
  const status = { idx, uri: STATUS_URI };
  const credential = await issueOfficialIdCredential({
    issuer: ISSUER,
    issuerKey,
    claims: CLAIMS,
    holderJwk: device.publicJwk,
    status,
    validFrom: VALID_FROM,
    validUntil: VALID_UNTIL,
    now: NOW,
  });
  const gateCredential = await issueGateCredential({
    issuer: ISSUER,
    issuerKey,
    subject: SUBJECT,
    agencyCode: CLAIMS.agency.code,
    holderJwk: device.publicJwk,
    status,
    validFrom: VALID_FROM,
    validUntil: VALID_UNTIL,
  });
  const jwks = toJwks([issuerKey]);
  return {
    issuerKey,
    jwks,
    device,
    list,
    idx,
    credential,
    gateCredential,
    async cachedList(now = NOW) {
      const token = await signStatusListToken({
        list,
        uri: STATUS_URI,
        issuerKey,
        now,
        ttlSeconds: 300,
        validSeconds: 86_400,
      });
      return verifyStatusListToken(token, { issuerKeys: jwks, uri: STATUS_URI, now });
    },
  };
}

/** Asserts that `fn` rejects with the GongjikError `code`. */
export async function rejectsWith(fn: () => unknown, code: string): Promise<void> {
  const { rejects } = await import('node:assert/strict');
  await rejects(
    async () => fn(),
    (err: { code?: string }) => {
      if (err.code !== code)
        throw new Error(`expected ${code}, got ${err.code ?? String(err)}`, { cause: err });
      return true;
    },
  );
}

// Offline gate verification as a Gongjik gate runs it (`decideAtGateSync`, the path of
// `gongjik gate verify`): issuer signature, device proof, the server-checked-PIN unlock token
// (requireUnlock), replay cache, cached status list and the zone policy, on the synchronous
// node:crypto path. Prints {"verifyPerSec", "p99Ms", …}. Budget: p99 ≤ 2 ms, ≥ 2,000
// verifications/s on one core.
import {
  createGateQr,
  type GateStation,
  generateDeviceKey,
  generateIssuerKey,
  issueGateCredential,
  issueUnlockToken,
  jwkThumbprint,
  MemorySeenCache,
  StatusIndexAllocator,
  StatusList,
  signStatusListToken,
  toJwks,
  verifyStatusListToken,
} from '@gongjik/mobile-id';
import { clearVerifiedSignatureCache, decideAtGateSync } from '@gongjik/mobile-id/node';

const N = Number(process.argv[2] ?? 3000);
const WARMUP = 200;
const now = new Date('2026-03-02T09:00:00Z');
const uri = 'https://id.gongjik.go.kr/status/1';
const issuerKey = await generateIssuerKey();
const issuerKeys = toJwks([issuerKey]);
const list = new StatusList(2 ** 20);
const alloc = new StatusIndexAllocator(list.size);
for (let i = 0; i < 10_000; i++) list.set(alloc.allocate(), i % 3 === 0 ? 2 : 1);
const token = await signStatusListToken({ list, uri, issuerKey, now, ttlSeconds: 300, validSeconds: 86_400 });
const statusList = await verifyStatusListToken(token, { issuerKeys, uri, now });

// A few holders, each with many fresh QRs (distinct nonces), as at a busy gate.
const qrs: string[] = [];
for (let h = 0; h < 20; h++) {
  const device = await generateDeviceKey();
  const credential = await issueGateCredential({
    issuer: 'https://id.gongjik.go.kr',
    issuerKey,
    subject: crypto.randomUUID(),
    agencyCode: '1741000',
    holderJwk: device.publicJwk,
    status: { idx: alloc.allocate(), uri },
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validUntil: new Date('2029-01-01T00:00:00Z'),
  });
  const unlockToken = await issueUnlockToken({
    issuer: 'https://id.gongjik.go.kr',
    issuerKey,
    deviceJkt: await jwkThumbprint(device.publicJwk),
    now,
    lifetimeSeconds: 12 * 3600,
  });
  for (let i = 0; i < (N + WARMUP) / 20; i++) {
    qrs.push(
      await createGateQr({
        credential,
        gateGroup: 'sejong/bldg-6',
        devicePrivateKey: device.privateKey,
        now,
        unlockToken,
      }),
    );
  }
}

const station: GateStation = {
  gate: {
    id: crypto.randomUUID(),
    name: '6동 정문',
    gateGroup: 'sejong/bldg-6',
    building: 'bldg-6',
    policy: {
      timeZone: 'Asia/Seoul',
      rules: [
        { agencies: ['1311000'], buildings: ['bldg-1'], days: [1, 2, 3, 4, 5], from: '07:00', to: '20:00' },
        { agencies: ['1741000'], buildings: ['bldg-6'], days: [1, 2, 3, 4, 5], from: '07:00', to: '20:00' },
      ],
    },
  },
  issuer: 'https://id.gongjik.go.kr',
  issuerKeys,
  statusLists: [statusList],
  issuedAt: Math.floor(now.getTime() / 1000),
  refreshAt: Math.floor(now.getTime() / 1000) + 300,
};
const seenCache = new MemorySeenCache();
const decide = (q: string) => {
  const d = decideAtGateSync(q, station, now, seenCache);
  if (!d.allow) throw new Error(`unexpected DENY ${d.code}`);
};
for (const q of qrs.slice(0, WARMUP)) decide(q);

// Cold: every issuer signature verified again (a holder's first scan of the day), three ECDSA
// verifications per QR. Warm (below, the figures of the budget): repeat holders, whose credential
// and unlock token were verified before; the device proof is verified every time.
const coldQrs = qrs.slice(WARMUP, WARMUP + 1000);
const coldSeen = new MemorySeenCache();
const coldCpu0 = process.cpuUsage();
for (const q of coldQrs) {
  clearVerifiedSignatureCache();
  const d = decideAtGateSync(q, station, now, coldSeen);
  if (!d.allow) throw new Error(`unexpected DENY ${d.code}`);
}
const coldCpu = process.cpuUsage(coldCpu0);
const coldCpuMs = (coldCpu.user + coldCpu.system) / 1000 / coldQrs.length;

const times: number[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const q of qrs.slice(WARMUP)) {
  const s = performance.now();
  decide(q);
  times.push(performance.now() - s);
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
const round = (x: number, d = 3) => Number(x.toFixed(d));
console.log(
  JSON.stringify({
    verifyPerSec: Math.round(times.length / (wallMs / 1000)),
    p99Ms: round(pct(99)),
    p50Ms: round(pct(50)),
    cpuMsPerVerify: round((cpu.user + cpu.system) / 1000 / times.length),
    cpuMsPerVerifyCold: round(coldCpuMs),
    verifications: times.length,
    qrBytes: qrs[0]!.length,
  }),
);

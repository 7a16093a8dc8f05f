// Publishing a 1,000,000-entry Token Status List with 1% revoked and 0.5% suspended (random
// indexes): compress + sign. Prints {"entries", "compressedBytes", "publishMs"}.
// Budget: ≤ 30 KB, publish ≤ 200 ms.
import {
  generateIssuerKey,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  StatusIndexAllocator,
  StatusList,
  signStatusListToken,
} from '@gongjik/mobile-id';

const entries = 1_000_000;
const list = new StatusList(entries);
const alloc = new StatusIndexAllocator(entries);
for (let i = 0; i < entries * 0.01; i++) list.set(alloc.allocate(), STATUS_INVALID);
for (let i = 0; i < entries * 0.005; i++) list.set(alloc.allocate(), STATUS_SUSPENDED);
const issuerKey = await generateIssuerKey();
const publish = () =>
  signStatusListToken({
    list,
    uri: 'https://id.gongjik.go.kr/status/1',
    issuerKey,
    now: new Date(),
    ttlSeconds: 300,
    validSeconds: 86_400,
  });
await publish(); // warm-up
const runs: number[] = [];
let token = '';
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  token = await publish();
  runs.push(performance.now() - t);
}
runs.sort((a, b) => a - b);
const lst = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).status_list.lst as string;
console.log(
  JSON.stringify({
    entries,
    compressedBytes: Buffer.from(lst, 'base64url').length,
    tokenBytes: token.length,
    publishMs: Number(runs[Math.floor(runs.length / 2)]!.toFixed(1)),
  }),
);

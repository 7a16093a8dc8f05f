// Certificate verification in process vs raw RSA-2048 verification, measured in one run.
//
// "Full" is what the server does for a certificate login: verify the signature over a fresh
// challenge with the certificate's key, and validate the certificate (RFC 5280 path to the trust
// anchor, validity, policies, revocation) with the chain and the CRL already cached. "Raw" is a bare
// node:crypto RSA-2048/SHA-256 verify of the same signatures. Budget (DESIGN.md): ratio >= 0.5.
//
// Prints JSON: { verifyPerSec, rawVerifyPerSec, ratio, p99Ms, ... }. Optional argument: seconds
// per measurement (default 3).
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type CryptoVerifier,
  createDevCa,
  createValidator,
  issueUserCertificates,
  prepareChallengeVerifier,
  verifyChallenge,
  webCryptoVerifier,
} from '@gongjik/kpki';
import { nodeCrypto } from '@gongjik/kpki/node';

const seconds = Number(process.argv[2] ?? 3);
const POOL = 1024;
const now = new Date();
const clock = { crypto: globalThis.crypto, now };

// --- fixtures: a GPKI-like chain from the development CA, with CRLs, and signed challenges ---
const ca = await createDevCa(clock);
const user = await issueUserCertificates(ca, { kind: 'gpki', name: '류시원', org: '행정안전부' }, clock);
const anchors = [ca.authorities['gpki-root'].certificate];
const intermediates = [ca.authorities['gpki-ca'].certificate];
const crls = [ca.authorities['gpki-root'].crl, ca.authorities['gpki-ca'].crl];
const leaf = user.sign.certificate;

const privateKey = createPrivateKey({ key: Buffer.from(user.sign.privateKey), format: 'der', type: 'pkcs8' });
const publicKey = createPublicKey(privateKey);
const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
const challenges: Uint8Array[] = [];
const signatures: Uint8Array[] = [];
for (let i = 0; i < POOL; i++) {
  // A login challenge: 32 random bytes bound to the origin, as the server issues them.
  const c = new TextEncoder().encode(
    `https://mail.example.go.kr|${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`,
  );
  challenges.push(c);
  signatures.push(new Uint8Array(sign('sha256', c, privateKey)));
}

const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** Runs `op` back to back for `seconds`; returns ops/s and the 99th-percentile latency. */
async function measure(op: (i: number) => unknown): Promise<{ perSec: number; p99Ms: number }> {
  for (let i = 0; i < 200; i++) await op(i % POOL); // warm-up: caches, JIT
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let n = 0;
  for (let t = start; t < end; n++) {
    const t0 = performance.now();
    await op(n % POOL);
    t = performance.now();
    latencies.push(t - t0);
  }
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSec: n / elapsed, p99Ms: latencies[Math.floor(latencies.length * 0.99)]! };
}

/** One full login verification: challenge signature with the leaf's key, then the cached path. */
function fullVerification(verifier: CryptoVerifier) {
  const validator = createValidator({
    anchors,
    intermediates,
    crls,
    revocation: 'require',
    crypto: verifier,
  });
  const op = async (i: number) => {
    if (!(await verifier.verify(RSA_SHA256, spki, signatures[i]!, challenges[i]!)))
      throw new Error('bad signature');
    await validator.validate(leaf, { at: now, keyUsage: ['digitalSignature'] });
  };
  return { validator, op };
}

// Server path: the injected node:crypto verifier (synchronous, parsed keys cached).
const server = fullVerification(nodeCrypto);
// Browser-safe default: WebCrypto (one promise per signature check).
const web = fullVerification(webCryptoVerifier());
// Mixed: node:crypto validator, challenge through kpki's WebCrypto verifyChallenge (sign/).
const challengeVerifier = await prepareChallengeVerifier(leaf);
const kpkiChallenge = async (i: number) => {
  await verifyChallenge(challengeVerifier, challenges[i]!, signatures[i]!);
  await server.validator.validate(leaf, { at: now, keyUsage: ['digitalSignature'] });
};

const raw = (i: number) => {
  if (!verify('sha256', challenges[i]!, publicKey, signatures[i]!)) throw new Error('bad signature');
};

// Interleave so both see the same machine conditions; report the mean of the two rounds.
const rawA = await measure(raw);
const fullA = await measure(server.op);
const rawB = await measure(raw);
const fullB = await measure(server.op);
const webRun = await measure(web.op);
const mixedRun = await measure(kpkiChallenge);

const rawVerifyPerSec = (rawA.perSec + rawB.perSec) / 2;
const verifyPerSec = (fullA.perSec + fullB.perSec) / 2;
const round = (x: number, d = 0) => Number(x.toFixed(d));
console.log(
  JSON.stringify({
    verifyPerSec: round(verifyPerSec),
    rawVerifyPerSec: round(rawVerifyPerSec),
    ratio: round(verifyPerSec / rawVerifyPerSec, 3),
    p99Ms: round(Math.max(fullA.p99Ms, fullB.p99Ms), 3),
    budgetRatio: 0.5,
    webCrypto: {
      verifyPerSec: round(webRun.perSec),
      ratio: round(webRun.perSec / rawVerifyPerSec, 3),
      p99Ms: round(webRun.p99Ms, 3),
    },
    verifyChallengeWebCrypto: {
      verifyPerSec: round(mixedRun.perSec),
      ratio: round(mixedRun.perSec / rawVerifyPerSec, 3),
      p99Ms: round(mixedRun.p99Ms, 3),
    },
    validatorStats: server.validator.stats,
    secondsPerMeasurement: seconds,
    node: process.version,
  }),
);

// Interoperability: an independent implementation (@sd-jwt/sd-jwt-vc, @sd-jwt/core 0.19) verifies
// our credentials and decodes our status list; and what it does not check, ours does.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { SDJwtInstance } from '@sd-jwt/core';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import {
  presentSdJwt,
  STATUS_SUSPENDED,
  signStatusListToken,
  verifySdJwtPresentation,
} from '../src/index.ts';
import { CLAIMS, makeWorld, NOW, rejectsWith, STATUS_URI } from './fixtures.ts';

const w = await makeWorld();
const nowSeconds = Math.floor(NOW.getTime() / 1000);

const hasher = (data: string | ArrayBuffer, alg: string) => {
  assert.equal(alg, 'sha-256');
  return new Uint8Array(
    createHash('sha256')
      .update(typeof data === 'string' ? data : Buffer.from(data))
      .digest(),
  );
};
const es256 = (jwk: object) => (data: string, sig: string) =>
  verify(
    'sha256',
    Buffer.from(data),
    { key: createPublicKey({ key: jwk as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
const issuerVerifier = (data: string, sig: string) => es256(w.issuerKey.publicJwk)(data, sig);
const kbVerifier = (data: string, sig: string, payload: { cnf?: { jwk?: object } }) =>
  es256(payload.cnf!.jwk!)(data, sig);

const present = (aud: string, nonce = 'nonce-1') =>
  presentSdJwt({
    credential: w.credential,
    disclose: ['name', 'agency'],
    audience: aud,
    nonce,
    devicePrivateKey: w.device.privateKey,
    now: NOW,
  });

describe('interoperability with @sd-jwt', () => {
  it('@sd-jwt/sd-jwt-vc verifies our presentation, key binding and status list entry', async () => {
    const publish = () =>
      signStatusListToken({
        list: w.list,
        uri: STATUS_URI,
        issuerKey: w.issuerKey,
        now: NOW,
        ttlSeconds: 300,
        validSeconds: 86_400,
      });
    let statusToken = await publish();
    let fetched = 0;
    const vc = new SDJwtVcInstance({
      hasher,
      hashAlg: 'sha-256',
      verifier: issuerVerifier,
      kbVerifier,
      statusListFetcher: async (uri: string) => {
        assert.equal(uri, STATUS_URI);
        fetched++;
        return statusToken;
      },
    });
    const result = await vc.verify(await present('https://library.sejong.test'), {
      keyBindingNonce: 'nonce-1',
      currentDate: nowSeconds,
    } as never);
    const payload = result.payload as Record<string, unknown>;
    assert.equal(payload.name, CLAIMS.name);
    assert.deepEqual(payload.agency, CLAIMS.agency);
    assert.equal(payload.department, undefined);
    assert.ok(result.kb, 'key binding verified');
    assert.equal(fetched, 1, 'the status list was consulted');

    w.list.set(w.idx, STATUS_SUSPENDED);
    statusToken = await publish();
    await assert.rejects(
      vc.verify(await present('https://library.sejong.test'), {
        keyBindingNonce: 'nonce-1',
        currentDate: nowSeconds,
      } as never),
    );
    w.list.set(w.idx, 0);
  });

  it('our verifier refuses a KB-JWT audience mismatch that @sd-jwt/core does not check', async () => {
    const core = new SDJwtInstance({ hasher, hashAlg: 'sha-256', verifier: issuerVerifier, kbVerifier });
    const forPhisher = await present('https://phish.example');
    await core.verify(forPhisher, { keyBindingNonce: 'nonce-1', currentDate: nowSeconds } as never);
    await rejectsWith(
      () =>
        verifySdJwtPresentation(forPhisher, {
          issuerKeys: w.jwks,
          now: NOW,
          audience: 'https://library.sejong.test',
          nonce: 'nonce-1',
        }),
      'ERR_MID_AUDIENCE_MISMATCH',
    );
  });
});

// Validates two certificates from the x509-limbo vectors: one good, one revoked by its CA's CRL.
// Run from the repository root: node packages/kpki/examples/validate-path.ts
import { readFileSync } from 'node:fs';
import { createValidator } from '@gongjik/kpki';
import { nodeCrypto } from '@gongjik/kpki/node';

const vectors = new URL('../test/vectors/x509-limbo/limbo-applicable.json', import.meta.url);
const limbo = JSON.parse(readFileSync(vectors, 'utf8')) as {
  testcases: { id: string; trusted_certs: string[]; peer_certificate: string; crls: string[] }[];
};
const der = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

for (const id of ['crl::certificate-not-on-crl', 'crl::revoked-certificate-with-crl']) {
  const c = limbo.testcases.find((t) => t.id === id);
  if (!c) throw new Error(`no case ${id}`);
  const validator = createValidator({
    anchors: c.trusted_certs.map(der),
    crls: c.crls.map(der),
    revocation: 'require',
    crypto: nodeCrypto, // omit in the browser: WebCrypto is the default
  });
  try {
    const result = await validator.validate(der(c.peer_certificate), {
      at: new Date('2024-01-01T00:00:00Z'),
    });
    console.log(
      id,
      '→ valid:',
      result.path.map((cert) => cert.subject.text).join(' ← '),
      `(revocation: ${result.revocation.method})`,
    );
  } catch (err) {
    console.log(id, '→ refused:', (err as { code?: string }).code);
  }
}

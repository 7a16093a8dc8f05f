// The exact bytes of a certificate's issuer and serial number (CMS names its signer by them).
import { CONTEXT, children, expect, is, type Node, parseExact, TAG, UNIVERSAL } from './asn1.ts';

export interface IssuerAndSerial {
  /** DER of the issuer Name. */
  readonly issuer: Uint8Array;
  /** DER of the serialNumber INTEGER. */
  readonly serial: Uint8Array;
}

export function issuerAndSerialOf(certDer: Uint8Array): IssuerAndSerial {
  const cert = parseExact(certDer, 'bad-certificate');
  const tbs = expect(children(cert, 'bad-certificate')[0], UNIVERSAL, TAG.SEQUENCE, 'bad-certificate');
  const parts: Node[] = children(tbs, 'bad-certificate');
  const start = is(parts[0], CONTEXT, 0) ? 1 : 0;
  const serial = expect(parts[start], UNIVERSAL, TAG.INTEGER, 'bad-certificate');
  const issuer = expect(parts[start + 2], UNIVERSAL, TAG.SEQUENCE, 'bad-certificate');
  return { issuer: issuer.valueBeforeDecodeView, serial: serial.valueBeforeDecodeView };
}

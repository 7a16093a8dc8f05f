/** Object identifiers of KISA and PKCS#5/#8 key files. */
export const OID = {
  /** KISA seedCBCWithSHA1: PBKDF1-SHA1, IV = SHA1(DK[16:20])[0:16]. */
  kisaSeedCbcWithSha1: '1.2.410.200004.1.15',
  /** KISA seedCBC: the old key-file scheme (IV "0123456789012345"), and SEED-CBC inside PBES2. */
  seedCbc: '1.2.410.200004.1.4',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha1: '1.2.840.113549.2.7',
  hmacWithSha256: '1.2.840.113549.2.9',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  /** KISA randomNum attribute of the private key (identity checks with the VID). */
  kisaRandomNum: '1.2.410.200004.10.1.1.3',
} as const;

export * from './cert/index.ts';
// cert/ and validate/ both export these names; the explicit re-export settles the ambiguity in favour
// of cert/ (validate/'s parser stays available as ./validate/index.ts). Integrator: rename one side.
export { type DistinguishedName, parseCertificate } from './cert/index.ts';
export * from './devca/index.ts';
export * from './kdf.ts';
export * from './keyfile/index.ts';
export * from './layout/index.ts';
export * from './seed.ts';
export * from './validate/index.ts';

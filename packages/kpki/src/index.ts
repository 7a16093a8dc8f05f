// @gongjik/kpki — browser-safe entry. Node-only helpers live in ./node.ts (`@gongjik/kpki/node`).
export * from './cert/index.ts';
// Names exported by more than one area; the explicit re-export settles each ambiguity (the other
// area's version stays reachable through its own index). Integrator: rename one side.
export { type DistinguishedName, parseCertificate } from './cert/index.ts';
export * from './devca/index.ts';
export * from './kdf.ts';
export * from './keyfile/index.ts';
export * from './layout/index.ts';
export * from './seed.ts';
export * from './sign/index.ts';
export type { HashName } from './validate/index.ts';
export * from './validate/index.ts';

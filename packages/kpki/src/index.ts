// @gongjik/kpki — browser-safe entry. Node-only helpers live in ./node.ts (`@gongjik/kpki/node`).
export * from './cert/index.ts';
export * from './kdf.ts';
export * from './keyfile/index.ts';
export * from './layout/index.ts';
export * from './seed.ts';
export * from './sign/index.ts';

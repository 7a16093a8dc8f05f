export * from './cert/index.ts';
export * from './devca/index.ts';
export * from './kdf.ts';
export * from './keyfile/index.ts';
export * from './seed.ts';

export * from './kdf.ts';
export * from './keyfile/index.ts';
export * from './seed.ts';

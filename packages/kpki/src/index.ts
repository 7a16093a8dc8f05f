export * from './kdf.ts';
export * from './seed.ts';

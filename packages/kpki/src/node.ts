// Node-only entry point (@gongjik/kpki/node): everything of the package plus file-system helpers.
export * from './devca/node.ts';
export * from './index.ts';

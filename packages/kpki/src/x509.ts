// The one place kpki imports @peculiar/x509 from: the Reflect shim must run first.
import './reflect-shim.ts';

export * from '@peculiar/x509';

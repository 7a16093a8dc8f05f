#!/usr/bin/env node
// Entry point of the `gongjik` CLI. Plain JavaScript so that an old Node gets a clear message
// instead of a syntax error; the CLI itself is TypeScript run directly by Node >= 22.12.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `gongjik needs Node.js 22.12 or newer (24 LTS recommended); this is ${process.version}.\n` +
      'In the repository, run `source .ci/node.sh` to put Node 24 on PATH.',
  );
  process.exit(1);
}
// File writes, fdatasync and directory fsync of the blob store run on libuv's thread pool (4 threads
// by default), which would cap durable SMTP ingest; size it before anything uses it.
process.env.UV_THREADPOOL_SIZE ??= '16';
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

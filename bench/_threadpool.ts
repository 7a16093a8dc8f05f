// Imported first by the SMTP benchmarks: the same libuv thread-pool size as apps/server/bin/gongjik.mjs.
process.env.UV_THREADPOOL_SIZE ??= '16';

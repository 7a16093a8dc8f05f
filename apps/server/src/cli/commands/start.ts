import cluster from 'node:cluster';
import { GongjikError } from '@gongjik/errors';
import { runClusterWorker, startCluster } from '../../cluster.ts';
import { loadConfig } from '../../config.ts';
import { demoInstaller, refreshDemoCrls } from '../../demo/kit.ts';
import { startServer } from '../../start.ts';
import { startWalletListener } from '../../wallet-site.ts';
import { defineCommand } from '../command.ts';

export const startCommand = defineCommand({
  name: 'start',
  summary: 'start the server (creates the data dir, migrates, writes the admin token on first start)',
  usage: 'start [--data DIR] [--port N] [--smtp-port N] [--workers N|auto] [--no-demo]',
  longRunning: true,
  options: {
    data: { type: 'string', description: 'data directory (default $GONGJIK_DATA_DIR or ./data)' },
    port: { type: 'string', description: 'HTTP port (default $GONGJIK_HTTP_PORT or 8080)' },
    'smtp-port': { type: 'string', description: 'SMTP port (default $GONGJIK_SMTP_PORT or 2525)' },
    'no-demo': { type: 'boolean', description: 'do not write the demo kit on first start' },
    workers: {
      type: 'string',
      description:
        'HTTP worker processes (default $GONGJIK_WORKERS or auto: one per CPU, at most 8, with PostgreSQL; 1 with PGlite)',
    },
  },
  async run(ctx) {
    const port = typeof ctx.values.port === 'string' ? Number(ctx.values.port) : undefined;
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--port must be a number from 0 to 65535' });
    }
    const smtpPort =
      typeof ctx.values['smtp-port'] === 'string' ? Number(ctx.values['smtp-port']) : undefined;
    if (smtpPort !== undefined && !(Number.isInteger(smtpPort) && smtpPort >= 0 && smtpPort <= 65535)) {
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--smtp-port must be a number from 0 to 65535' });
    }
    const w = ctx.values.workers;
    const workers = typeof w === 'string' ? (w === 'auto' ? 'auto' : Number(w)) : undefined;
    if (
      workers !== undefined &&
      workers !== 'auto' &&
      !(Number.isInteger(workers) && workers >= 1 && workers <= 64)
    ) {
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--workers must be auto or a number from 1 to 64' });
    }
    const config = loadConfig(process.env, {
      workers,
      smtpPort,
      dataDir: typeof ctx.values.data === 'string' ? ctx.values.data : undefined,
      noDemo: ctx.values['no-demo'] === true,
      port,
    });
    if (cluster.isWorker) {
      // forked by the primary below with the same command line: serve, print nothing
      await runClusterWorker(config);
      return undefined;
    }
    const startOptions = {
      demo: demoInstaller,
      beforeListen: async ({ config: c, now }: { config: typeof config; now: Date }) => {
        if (await refreshDemoCrls(c.dataDir, c.auth.trustDir, now))
          ctx.warn('demo kit: the development CA issued fresh CRLs (DEV ONLY)');
      },
    };
    const server =
      config.cluster.workers > 1
        ? await startCluster(config, startOptions, { warn: ctx.warn })
        : await startServer(config, startOptions);
    // The wallet's own origin is served by the primary process only, never by the workers.
    const wallet = await startWalletListener(config).catch(async (err) => {
      await server.close();
      throw err;
    });
    const stop = async () => {
      if ('site' in wallet) await wallet.site.close();
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    ctx.print(`Gongjik is running: ${config.publicUrl}  (listening on ${server.listenUrl})`);
    ctx.print(
      `data directory:   ${config.dataDir}${config.databaseUrl ? ' (database: DATABASE_URL)' : ' (embedded PGlite)'}`,
    );
    ctx.print(
      `admin token:      ${server.adminTokenFile}${server.createdAdminToken ? ' (created now)' : ''}`,
    );
    if (server.demoReadme) {
      ctx.print(
        `demo kit:         ${server.demoReadme}   *** DEV ONLY: demo accounts, a development CA, readable passwords ***`,
      );
    }
    ctx.print(
      'site' in wallet
        ? `wallet (PWA):     ${wallet.url}  (listening on ${wallet.site.origin})`
        : `wallet (PWA):     not served: ${wallet.skipped}`,
    );
    ctx.print(`trust directory:  ${config.auth.trustDir}`);
    ctx.print(`workers:          ${config.cluster.workers}`);
    if (server.smtpPort !== null) ctx.print(`smtp:             ${config.smtp.host}:${server.smtpPort}`);
    return {
      url: config.publicUrl,
      listen: server.listenUrl,
      smtpPort: server.smtpPort,
      dataDir: config.dataDir,
      adminTokenFile: server.adminTokenFile,
      createdAdminToken: server.createdAdminToken,
      demoReadme: server.demoReadme,
      walletUrl: 'site' in wallet ? wallet.url : null,
      workers: config.cluster.workers,
    };
  },
});

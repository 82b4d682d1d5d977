/** The `skiff` command. */
import { UsageError, flagHelp } from './args';
import { CliError, engineStart, engineStatus, engineStop, START_FLAGS, STATE_FLAGS, type Io } from './engine-commands';
import { serve, SERVE_FLAGS } from './serve-command';

declare const SKIFF_VERSION: string;
const VERSION = typeof SKIFF_VERSION === 'string' ? SKIFF_VERSION : '0.0.0-dev';

const USAGE = `Skiff — a local Kubernetes-compatible engine on Docker, and a console for any cluster.

Usage:
  skiff engine start [flags]   run the engine in the foreground until Ctrl+C
  skiff engine status [--state-dir DIR]
  skiff engine stop [--state-dir DIR]
  skiff serve [flags]          the console in a browser on 127.0.0.1 (prints its URL with a token)
  skiff version
  skiff help

engine start flags:
${flagHelp(START_FLAGS)}

engine status/stop flags:
${flagHelp(STATE_FLAGS)}

serve flags:
${flagHelp(SERVE_FLAGS)}
`;

const io: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

async function run(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === 'version' || cmd === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (cmd === 'engine') {
    if (sub === 'start') return engineStart(rest, io, VERSION);
    if (sub === 'status') return engineStatus(rest, io);
    if (sub === 'stop') return engineStop(rest, io);
    throw new UsageError(sub === undefined ? 'engine needs a subcommand: start, status or stop' : `unknown engine subcommand ${JSON.stringify(sub)} (start, status, stop)`);
  }
  if (cmd === 'serve') return serve(sub === undefined ? [] : [sub, ...rest], io, VERSION);
  throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      io.err(`skiff: ${err.message}`);
      io.err('Run "skiff help" for usage.');
      process.exit(2);
    }
    if (err instanceof CliError) {
      io.err(`skiff: ${err.message}`);
      process.exit(err.exitCode);
    }
    io.err(`skiff: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(1);
  },
);

/** xterm.js bound to an exec session; loaded lazily (shell-view.tsx) so the console starts without it. */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { JSX } from 'react';
import { useEffect, useRef, useState } from 'react';
import { call, errorMessage, subscribe } from '../api';
import { adoptInlineStyles } from './adopt-inline-styles';

export interface TerminalProps {
  context: string;
  namespace: string;
  pod: string;
  container?: string;
  dark: boolean;
}

type SessionState = { state: 'connecting' } | { state: 'open'; container: string } | { state: 'exited'; text: string } | { state: 'error'; text: string };

export default function TerminalView({ context, namespace, pod, container, dark }: TerminalProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<SessionState>({ state: 'connecting' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const el = host.current;
    if (el === null) return undefined;
    const releaseStyles = adoptInlineStyles(el);
    const term = new Terminal({
      fontSize: 13,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      cursorBlink: true,
      theme: dark ? { background: '#020617', foreground: '#e2e8f0' } : { background: '#ffffff', foreground: '#0f172a', cursor: '#0f172a', selectionBackground: '#bae6fd' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    try {
      fit.fit();
    } catch {
      // not laid out yet: the resize observer fits it once it is
    }
    let sessionId: string | null = null;
    const pendingInput: string[] = [];
    setSession({ state: 'connecting' });
    const write = (data: string): void => {
      if (sessionId === null) {
        pendingInput.push(data);
        return;
      }
      call('exec.write', { sessionId, data }).catch((error: unknown) => term.write(`\r\n\x1b[31m${errorMessage(error)}\x1b[0m\r\n`));
    };
    const dispose = subscribe(
      'onExec',
      { context, namespace, pod, ...(container !== undefined ? { container } : {}), cols: Math.max(1, term.cols), rows: Math.max(1, term.rows) },
      (event) => {
        switch (event.type) {
          case 'started':
            sessionId = event.sessionId;
            setSession({ state: 'open', container: event.container });
            for (const data of pendingInput.splice(0)) write(data);
            void call('exec.resize', { sessionId, cols: term.cols, rows: term.rows }).catch(() => undefined);
            break;
          case 'output':
            term.write(event.data);
            break;
          case 'exit': {
            const text = `exited${event.exitCode !== null ? ` with code ${event.exitCode}` : ''}${event.message !== null ? `: ${event.message}` : ''}`;
            term.write(`\r\n\x1b[33m[${text}]\x1b[0m\r\n`);
            sessionId = null;
            setSession({ state: 'exited', text });
            break;
          }
          case 'error':
            term.write(`\r\n\x1b[31m${event.error.message}\x1b[0m\r\n`);
            setSession({ state: 'error', text: event.error.message });
            break;
        }
      },
      (error) => setSession({ state: 'error', text: error.message }),
    );
    const onData = term.onData(write);
    const onResize = term.onResize(({ cols, rows }) => {
      if (sessionId !== null) void call('exec.resize', { sessionId, cols, rows }).catch(() => undefined);
    });
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // hidden
      }
    });
    observer.observe(el);
    term.focus();
    return () => {
      observer.disconnect();
      onData.dispose();
      onResize.dispose();
      dispose();
      term.dispose();
      releaseStyles();
    };
  }, [context, namespace, pod, container, dark, generation]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-3 border-b border-slate-200 px-4 py-1 text-xs dark:border-slate-800" data-testid="shell-status">
        {session.state === 'connecting' && <span className="text-slate-500">connecting…</span>}
        {session.state === 'open' && <span className="text-emerald-600">connected to {session.container}</span>}
        {session.state === 'exited' && <span className="text-amber-600" data-testid="shell-exit">{session.text}</span>}
        {session.state === 'error' && <span className="text-rose-600">{session.text}</span>}
        {(session.state === 'exited' || session.state === 'error') && (
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700" onClick={() => setGeneration((g) => g + 1)}>
            Reconnect
          </button>
        )}
      </div>
      <div ref={host} className="min-h-0 flex-1 p-2" data-testid="terminal" />
    </div>
  );
}

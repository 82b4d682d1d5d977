import type { JSX } from 'react';
import { lazy, Suspense } from 'react';
import { Button } from '../components/ui';
import { useConsole } from '../console-state';
import { useResourceFeed } from '../hooks/use-resource-feed';
import { useTheme } from '../theme';

const TerminalView = lazy(() => import('../components/terminal'));

/** A terminal into one container of a pod. */
export function ShellView({ namespace, pod, container }: { namespace: string; pod: string; container?: string }): JSX.Element {
  const { context, navigate } = useConsole();
  const { dark } = useTheme();
  const pods = useResourceFeed(context, 'pods', namespace);
  const containers = pods.rows.find((p) => p.name === pod)?.containers ?? [];
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="shell-view">
      <div className="flex items-center gap-3 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h1 className="text-lg font-semibold">
          Shell <span className="font-mono text-base text-slate-500">{pod}</span>
        </h1>
        <select
          aria-label="Container"
          className="rounded border border-slate-300 bg-white px-1 py-0.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          value={container ?? containers[0] ?? ''}
          onChange={(e) => navigate({ view: 'shell', namespace, pod, container: e.currentTarget.value })}
        >
          {(containers.length > 0 ? containers : [container ?? '']).map((c) => (
            <option key={c} value={c}>
              {c === '' ? 'default container' : c}
            </option>
          ))}
        </select>
        <div className="flex-1" />
        <Button onClick={() => navigate({ view: 'kind', kind: 'pods', selected: { name: pod, namespace } })}>Back</Button>
      </div>
      {context !== null && (
        <Suspense fallback={<div className="p-4 text-sm text-slate-500">Loading terminal…</div>}>
          <TerminalView key={`${pod}/${container ?? ''}`} context={context} namespace={namespace} pod={pod} container={container} dark={dark} />
        </Suspense>
      )}
    </div>
  );
}

import type { JSX } from 'react';
import { usePodMetrics } from '../hooks/use-pod-metrics';
import { formatBytes, formatCpu } from '../lib/sparkline-path';
import { Sparkline } from './sparkline';
import { Section } from './ui';

/** CPU and memory of one pod over the last minutes (metrics.k8s.io), or why there is nothing to show. */
export function PodUsage({ context, namespace, name }: { context: string; namespace: string; name: string }): JSX.Element {
  const metrics = usePodMetrics(context, namespace);
  let body: JSX.Element;
  if (metrics.status === 'loading') body = <p className="text-xs text-slate-500">Sampling…</p>;
  else if (metrics.status === 'unavailable')
    body = (
      <p className="text-xs text-slate-500" data-testid="pod-usage-unavailable">
        {metrics.reason}
      </p>
    );
  else if (metrics.status === 'error') body = <p className="text-xs text-rose-600">{metrics.message}</p>;
  else {
    const series = metrics.byPod.get(`${namespace}/${name}`);
    const points = series?.points ?? [];
    const last = points[points.length - 1];
    body =
      last === undefined ? (
        <p className="text-xs text-slate-500">No samples for this pod yet (the metrics pipeline reports every 15–60 s).</p>
      ) : (
        <div className="flex flex-wrap gap-6 text-sm">
          <div>
            <div className="text-xs text-slate-500">CPU</div>
            <Sparkline testId="pod-usage-cpu" label="CPU" values={points.map((p) => p.cpuMillicores)} latest={formatCpu(last.cpuMillicores)} />
          </div>
          <div>
            <div className="text-xs text-slate-500">Memory</div>
            <Sparkline testId="pod-usage-memory" label="Memory" values={points.map((p) => p.memoryBytes)} latest={formatBytes(last.memoryBytes)} />
          </div>
          <div className="self-end text-xs text-slate-500">
            {points.length} samples, every {Math.round(metrics.intervalMs / 1000)} s
          </div>
        </div>
      );
  }
  return (
    <div data-testid="pod-usage">
      <Section title="Usage">{body}</Section>
    </div>
  );
}

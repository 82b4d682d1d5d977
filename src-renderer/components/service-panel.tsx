import type { JSX } from 'react';
import { useEffect, useState } from 'react';
import type { ServicePort } from '../../src-main/contract/rows';
import { call, errorMessage } from '../api';
import { getWebBridge } from '../bridge';
import { useCall } from '../hooks/use-call';
import { forwardKey, startForward, stopForward, usePortForwards } from '../hooks/use-port-forwards';
import { useResourceFeed } from '../hooks/use-resource-feed';
import { Button, ErrorNote, KeyValues, Section } from './ui';

/** How often requests per second are re-read while the panel is open (the metric itself is a rate). */
const REQUESTS_REFRESH_MS = 10_000;

/**
 * Opens the forward's URL outside the console: a new tab in web mode (opened at the click, so the browser
 * does not block it, then pointed at the URL), the user's browser through the backend in the desktop app.
 */
async function openInBrowser(start: () => Promise<string>): Promise<void> {
  const web = getWebBridge() !== null;
  const tab = web ? window.open('about:blank', '_blank') : null;
  try {
    const url = await start();
    if (!web) await call('app.openExternal', { url });
    else if (tab !== null) tab.location.href = url;
    else window.open(url, '_blank', 'noopener,noreferrer');
  } catch (error) {
    tab?.close();
    throw error;
  }
}

function PortRow({ context, namespace, service, port }: { context: string; namespace: string; service: string; port: ServicePort }): JSX.Element {
  const forwards = usePortForwards();
  const input = { context, namespace, service, port: port.port };
  const forward = forwards.find((f) => f.key === forwardKey(input));
  const [problem, setProblem] = useState<string | null>(null);
  const tcp = port.protocol === 'TCP';
  return (
    <li className="py-1" data-testid={`service-port-${port.port}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-xs">
          {port.name !== null ? `${port.name} ` : ''}
          {port.port} → {port.targetPort ?? port.port}/{port.protocol}
          {port.nodePort !== null ? ` (node port ${port.nodePort})` : ''}
        </span>
        {tcp && (
          <Button
            data-testid={`open-port-${port.port}`}
            disabled={forward?.state === 'starting'}
            onClick={() => {
              setProblem(null);
              openInBrowser(() => startForward(input)).catch((error: unknown) => setProblem(errorMessage(error)));
            }}
          >
            {forward?.state === 'starting' ? 'Forwarding…' : 'Open in browser'}
          </Button>
        )}
        {forward !== undefined && forward.state !== 'starting' && (
          <Button data-testid={`stop-forward-${port.port}`} onClick={() => stopForward(forward.key)}>
            Stop forward
          </Button>
        )}
      </div>
      {forward?.state === 'ready' && forward.url !== null && (
        <div className="mt-1 text-xs text-slate-500" data-testid={`forward-${port.port}`}>
          Forwarding{' '}
          <a className="font-mono text-sky-600 underline" href={forward.url} target="_blank" rel="noopener noreferrer" data-testid={`forward-url-${port.port}`}>
            {forward.url}
          </a>{' '}
          → pod {forward.pod}:{forward.podPort}
        </div>
      )}
      {forward?.state === 'closed' && <div className="mt-1 text-xs text-slate-500">Forward closed{forward.message !== null ? `: ${forward.message}` : ''}.</div>}
      {(problem !== null || forward?.state === 'failed') && (
        <div className="mt-1">
          <ErrorNote testId={`forward-error-${port.port}`}>{forward?.message ?? problem}</ErrorNote>
        </div>
      )}
    </li>
  );
}

/** A Service: ports (each with "Open in browser"), endpoints, and requests per second per endpoint. */
export function ServicePanel({ context, namespace, name }: { context: string; namespace: string; name: string }): JSX.Element {
  const endpoints = useResourceFeed(context, 'endpoints', namespace);
  const endpointsVersion = endpoints.rows.find((e) => e.name === name)?.resourceVersion ?? null;
  // The selected pods too: clusters that keep no Endpoints get their endpoints from the pods (watched, not polled).
  const services = useResourceFeed(context, 'services', namespace);
  const selector = services.rows.find((r) => r.name === name)?.selector ?? {};
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = useResourceFeed(context, 'pods', namespace, selectorText !== '', selectorText === '' ? undefined : selectorText);
  const podsVersion = pods.rows.map((p) => `${p.name}:${p.resourceVersion}`).join(',');
  const { state, reload } = useCall(() => call('services.detail', { context, namespace, name }), [context, namespace, name, endpointsVersion, podsVersion]);
  const requestsAvailable = state.status === 'ready' && state.value.requests.available;
  useEffect(() => {
    if (!requestsAvailable) return undefined;
    const timer = setInterval(reload, REQUESTS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [requestsAvailable, reload]);

  if (state.status === 'error') return <ErrorNote>{state.message}</ErrorNote>;
  if (state.status === 'loading') return <p className="text-sm text-slate-500">Loading…</p>;
  const detail = state.value;
  return (
    <div data-testid="service-panel">
      <Section title="Service">
        <KeyValues
          entries={[
            ['Type', detail.type],
            ['Cluster IP', detail.clusterIP ?? '—'],
          ]}
        />
      </Section>
      <Section title="Ports">
        <ul className="text-sm">
          {detail.ports.map((p) => (
            <PortRow key={`${p.port}/${p.protocol}`} context={context} namespace={namespace} service={name} port={p} />
          ))}
        </ul>
      </Section>
      <Section title="Endpoints">
        {detail.endpoints.length === 0 ? (
          <p className="text-xs text-slate-500">None ready.</p>
        ) : (
          <table className="w-full text-xs" data-testid="service-endpoints">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="font-normal">Address</th>
                <th className="font-normal">Pod</th>
                <th className="font-normal">Ready</th>
                {detail.requests.available && <th className="text-right font-normal">Requests/s</th>}
              </tr>
            </thead>
            <tbody className="font-mono">
              {detail.endpoints.map((e) => (
                <tr key={`${e.ip}/${e.podName ?? ''}`} data-testid="service-endpoint">
                  <td>{e.ip}</td>
                  <td>{e.podName ?? '—'}</td>
                  <td>{e.ready ? 'yes' : 'no'}</td>
                  {detail.requests.available && <td className="text-right tabular-nums">{e.requestsPerSecond === null ? '—' : e.requestsPerSecond.toFixed(1)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!detail.requests.available && (
          <p className="mt-2 text-xs text-slate-500" data-testid="service-requests-hint">
            {detail.requests.reason}
          </p>
        )}
      </Section>
    </div>
  );
}

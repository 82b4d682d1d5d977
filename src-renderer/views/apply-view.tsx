import type { JSX } from 'react';
import { useMemo, useState } from 'react';
import type { ApplyDocumentResult, ApplyResult } from '../../src-main/contract/objects';
import { call, errorMessage } from '../api';
import { Button, ErrorNote } from '../components/ui';
import type { LineNote } from '../components/yaml-editor';
import { YamlEditor } from '../components/yaml-editor';
import { useConsole } from '../console-state';

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 1
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
        - name: hello
          image: busybox:1.36
          command: ["sh", "-c", "while true; do echo hello $(date); sleep 2; done"]
`;

function describe(doc: ApplyDocumentResult): string {
  const what = doc.kind !== null ? `${doc.kind}${doc.name !== null ? `/${doc.name}` : ''}` : `document ${doc.index + 1}`;
  if (doc.outcome === 'failed') {
    const causes = doc.error?.causes.map((c) => `${c.field}: ${c.message}`).join('; ') ?? '';
    return `✗ ${what}: ${doc.error?.message ?? 'failed'}${causes !== '' && !(doc.error?.message ?? '').includes(causes) ? ` (${causes})` : ''}`;
  }
  return `✓ ${what} ${doc.outcome}`;
}

/** Multi-document apply; each document's outcome (or the server's error) appears right above it in the editor. */
export function ApplyView(): JSX.Element {
  const { context, namespace } = useConsole();
  const [text, setText] = useState(TEMPLATE);
  const [result, setResult] = useState<{ text: string; result: ApplyResult } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const notes = useMemo<LineNote[]>(() => {
    // Notes belong to the text they were computed for; editing keeps them until the next apply.
    if (result === null) return [];
    return result.result.documents
      .filter((d) => d.outcome !== 'skipped')
      .map((d) => ({ line: d.line, message: describe(d), tone: d.outcome === 'failed' ? 'error' : 'ok' }));
  }, [result]);

  const apply = async (): Promise<void> => {
    if (context === null) return;
    setBusy(true);
    setProblem(null);
    try {
      const applied = await call('resources.apply', { context, yaml: text, ...(namespace !== null ? { namespace } : {}) });
      setResult({ text, result: applied });
    } catch (error) {
      setResult(null);
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="apply-view">
      <div className="flex items-center gap-3 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h1 className="text-lg font-semibold">Apply YAML</h1>
        <span className="text-xs text-slate-500">
          into {context ?? '—'} · documents without a namespace go to <span className="font-mono">{namespace ?? 'the context default'}</span>
        </span>
        <div className="flex-1" />
        {result !== null && (
          <span data-testid="apply-summary" className={`text-sm ${result.result.ok ? 'text-emerald-600' : 'text-rose-600'}`}>
            {result.result.ok ? 'Applied' : `${result.result.documents.filter((d) => d.outcome === 'failed').length} failed`}
          </span>
        )}
        <Button onClick={() => (setText(''), setResult(null))}>Clear</Button>
        <Button tone="primary" data-testid="apply-button" disabled={busy || context === null || text.trim() === ''} onClick={() => void apply()}>
          {busy ? 'Applying…' : 'Apply'}
        </Button>
      </div>
      {problem !== null && (
        <div className="px-4 pt-2">
          <ErrorNote testId="apply-error">{problem}</ErrorNote>
        </div>
      )}
      <div className="min-h-0 flex-1">
        <YamlEditor value={text} onChange={setText} notes={notes} label="YAML to apply" />
      </div>
    </div>
  );
}

import type { JSX } from 'react';
import { useState } from 'react';
import type { ResourceKind } from '../../src-main/contract/kinds';
import { KIND_NAMES } from '../../src-main/contract/kinds';
import { call, errorMessage } from '../api';
import { useCall } from '../hooks/use-call';
import { ConfirmDialog } from './confirm-dialog';
import { Button, ErrorNote } from './ui';
import { YamlEditor } from './yaml-editor';

export interface ObjectTarget {
  context: string;
  kind: ResourceKind;
  name: string;
  namespace?: string;
}

function refOf(target: ObjectTarget): ObjectTarget {
  return target.namespace === undefined || target.kind === 'namespaces' || target.kind === 'nodes'
    ? { context: target.context, kind: target.kind, name: target.name }
    : target;
}

/** The YAML of one object: read-only until Edit; Save replaces it (a stale version is a conflict, shown as such). */
export function ObjectYaml({ target, onDeleted }: { target: ObjectTarget; onDeleted?: () => void }): JSX.Element {
  const ref = refOf(target);
  const { state, reload } = useCall(() => call('resources.get', ref), [ref.context, ref.kind, ref.namespace, ref.name]);
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const save = async (): Promise<void> => {
    if (editing === null) return;
    setBusy(true);
    setProblem(null);
    try {
      await call('resources.replace', { ...ref, yaml: editing });
      setEditing(null);
      reload();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (): Promise<void> => {
    setConfirmDelete(false);
    try {
      await call('resources.delete', ref);
      onDeleted?.();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        {editing === null ? (
          <>
            <Button data-testid="edit-yaml" disabled={state.status !== 'ready'} onClick={() => state.status === 'ready' && setEditing(state.value.yaml)}>
              Edit
            </Button>
            <Button onClick={reload}>Refresh</Button>
          </>
        ) : (
          <>
            <Button tone="primary" data-testid="save-yaml" disabled={busy} onClick={() => void save()}>
              {busy ? 'Saving…' : 'Save'}
            </Button>
            <Button onClick={() => (setEditing(null), setProblem(null))}>Cancel</Button>
          </>
        )}
        <div className="flex-1" />
        <Button tone="danger" data-testid="delete-object" onClick={() => setConfirmDelete(true)}>
          Delete
        </Button>
      </div>
      {problem !== null && (
        <div className="px-4 pt-2">
          <ErrorNote testId="object-error">{problem}</ErrorNote>
        </div>
      )}
      <div className="min-h-0 flex-1 overflow-auto">
        {state.status === 'loading' && <div className="p-4 text-sm text-slate-500">Loading…</div>}
        {state.status === 'error' && (
          <div className="p-4">
            <ErrorNote>{state.message}</ErrorNote>
          </div>
        )}
        {state.status === 'ready' &&
          (editing !== null ? (
            <YamlEditor value={editing} onChange={setEditing} label={`YAML of ${target.name}`} />
          ) : (
            <pre data-testid="object-yaml" className="p-4 font-mono text-xs leading-5 whitespace-pre">
              {state.value.yaml}
            </pre>
          ))}
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${KIND_NAMES[target.kind]} ${target.name}?`}
          confirmLabel="Delete"
          tone="danger"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => void remove()}
        >
          {target.namespace !== undefined ? `In namespace ${target.namespace}. ` : ''}This cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}

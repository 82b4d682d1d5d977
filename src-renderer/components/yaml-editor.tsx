import type { JSX } from 'react';
import { lazy, Suspense } from 'react';
import type { CodeEditorProps } from './code-editor';

// CodeMirror is loaded the first time an editor is shown, not at startup (headlamp#2551).
const CodeEditor = lazy(() => import('./code-editor'));

export type { LineNote } from './code-editor';

export function YamlEditor(props: CodeEditorProps): JSX.Element {
  return (
    <Suspense fallback={<div className="p-4 text-sm text-slate-500">Loading editor…</div>}>
      <CodeEditor {...props} />
    </Suspense>
  );
}

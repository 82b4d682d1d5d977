/**
 * CodeMirror 6 with YAML: the heavy part of the editor, only ever loaded through a dynamic import
 * (yaml-editor.tsx) so the console starts without it.
 */
import { yaml } from '@codemirror/lang-yaml';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import type { DecorationSet } from '@codemirror/view';
import { Decoration, EditorView, WidgetType } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import type { JSX } from 'react';
import { useEffect, useRef } from 'react';
import { adoptInlineStyles } from './adopt-inline-styles';

// CodeMirror injects its base theme as a <style> in <head>, which the page's CSP ignores: mirror it.
adoptInlineStyles(document.head);

/** A message shown as a block above a line of the text (an apply error next to its document). */
export interface LineNote {
  line: number;
  message: string;
  tone: 'error' | 'ok';
}

class NoteWidget extends WidgetType {
  constructor(readonly note: LineNote) {
    super();
  }
  override eq(other: NoteWidget): boolean {
    return other.note.message === this.note.message && other.note.tone === this.note.tone && other.note.line === this.note.line;
  }
  toDOM(): HTMLElement {
    const el = document.createElement('div');
    el.className = this.note.tone === 'error' ? 'skiff-note skiff-note-error' : 'skiff-note skiff-note-ok';
    el.setAttribute('data-testid', this.note.tone === 'error' ? 'yaml-error' : 'yaml-ok');
    el.setAttribute('role', this.note.tone === 'error' ? 'alert' : 'status');
    el.textContent = this.note.message;
    return el;
  }
}

const setNotes = StateEffect.define<LineNote[]>();

const notesField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(setNotes)) {
        const doc = tr.state.doc;
        const ranges = effect.value
          .filter((n) => n.line >= 1 && n.line <= doc.lines)
          .sort((a, b) => a.line - b.line)
          .map((n) => Decoration.widget({ widget: new NoteWidget(n), block: true, side: -1 }).range(doc.line(n.line).from));
        next = Decoration.set(ranges, true);
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  notes?: LineNote[];
  readOnly?: boolean;
  label: string;
}

export default function CodeEditor({ value, onChange, notes = [], readOnly = false, label }: CodeEditorProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (host.current === null) return undefined;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          notesField,
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'yaml-editor' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor owns its text after creation; outside changes arrive through the effect below.
  }, [readOnly]);

  useEffect(() => {
    const editor = view.current;
    if (editor === null) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setNotes.of(notes) });
  }, [notes]);

  return <div ref={host} className="skiff-editor h-full min-h-0 overflow-hidden" />;
}

/**
 * The recipe's YAML in CodeMirror 6: highlighting, line numbers, problems at their lines. Loaded
 * only when the editor is first shown (YamlView imports it lazily), so it is not in the first
 * load. The store owns the text and its one undo history: CodeMirror's own history is left out,
 * and Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y call the store, so the editor and the forms share it.
 */
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, EditorState, type Text } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { useEffect, useRef } from 'react';
import type { RecipeIssue } from './recipe-doc';

/** Marks a change that came from the store (a form, undo), so it is not sent back to it. */
const fromStore = Annotation.define<boolean>();

/** Colours from the window's CSS variables: light and dark follow its appearance by themselves. */
const theme = EditorView.theme({
  '&': {
    color: 'var(--fg)',
    backgroundColor: 'var(--bg)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    fontSize: '13px',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-scroller': {
    fontFamily: "ui-monospace, 'Cascadia Mono', Menlo, monospace",
    lineHeight: '1.45',
  },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': {
    backgroundColor: 'var(--panel)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '.cm-activeLineGutter': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 14%, transparent)',
  },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent) !important',
  },
  '.cm-lintRange-error': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--bad)',
    textUnderlineOffset: '3px',
  },
  '.cm-tooltip': {
    backgroundColor: 'var(--panel)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
  },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--bad)' },
});

const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--syn-key)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--syn-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--syn-literal)' },
  { tag: [t.lineComment, t.blockComment, t.comment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--muted)' },
  { tag: [t.keyword, t.typeName, t.labelName, t.meta], color: 'var(--syn-keyword)' },
]);

/**
 * The problems as diagnostics: under the setting they are about when its place is known and on
 * one line, else under the words of their line.
 */
function diagnosticsOf(doc: Text, issues: RecipeIssue[]): Diagnostic[] {
  return issues.flatMap((i): Diagnostic[] => {
    if (i.line === null || i.line > doc.lines) return [];
    const line = doc.line(i.line);
    const [from, to] = i.range ?? [-1, -1];
    if (from >= line.from && to > from && to <= line.to)
      return [{ from, to, severity: 'error', message: i.message }];
    // The text of the line without its indent, so the underline sits under the words.
    const start = line.from + (line.text.length - line.text.trimStart().length);
    return [{ from: start, to: Math.max(start, line.to), severity: 'error', message: i.message }];
  });
}

/** The smallest change that turns `from` into `to`, so the cursor and scroll stay put. */
function minimalChange(from: string, to: string): { from: number; to: number; insert: string } {
  let start = 0;
  while (start < from.length && start < to.length && from[start] === to[start]) start++;
  let end = 0;
  while (
    end < from.length - start &&
    end < to.length - start &&
    from[from.length - 1 - end] === to[to.length - 1 - end]
  )
    end++;
  return { from: start, to: from.length - end, insert: to.slice(start, to.length - end) };
}

export interface CodeEditorProps {
  value: string;
  issues: RecipeIssue[];
  onChange(text: string): void;
  onUndo(): void;
  onRedo(): void;
  /** A line to show and put the cursor on; `n` changes each time it is asked again. */
  reveal: { line: number; n: number } | null;
}

export default function CodeEditor(props: CodeEditorProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, for the editor's extensions made once.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const call = (f: 'onUndo' | 'onRedo') => (): boolean => {
      latest.current[f]();
      return true;
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          indentOnInput(),
          EditorState.tabSize.of(2),
          yaml(),
          syntaxHighlighting(highlight),
          lintGutter(),
          // The editor sits in a narrow column: long comments wrap rather than scroll sideways.
          EditorView.lineWrapping,
          theme,
          // Before the default keymap: the store's undo, not CodeMirror's (which is not loaded).
          keymap.of([
            { key: 'Mod-z', run: call('onUndo'), preventDefault: true },
            { key: 'Mod-Shift-z', run: call('onRedo'), preventDefault: true },
            { key: 'Mod-y', run: call('onRedo'), preventDefault: true },
            indentWithTab,
            ...defaultKeymap,
          ]),
          // tabindex 0 on the editable text (already a Tab stop): its scrolling box then counts as
          // reachable by keyboard for accessibility checkers too.
          EditorView.contentAttributes.of({ 'aria-label': 'recipe yaml', tabindex: '0' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((tr) => tr.annotation(fromStore)))
              latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  // A change made elsewhere (a form, undo, another point of the history): the smallest edit.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const now = v.state.doc.toString();
    if (now === props.value) return;
    v.dispatch({ changes: minimalChange(now, props.value), annotations: fromStore.of(true) });
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, diagnosticsOf(v.state.doc, props.issues)));
  }, [props.issues, props.value]);

  useEffect(() => {
    const v = view.current;
    const r = props.reveal;
    if (!v || !r || r.line > v.state.doc.lines) return;
    const line = v.state.doc.line(r.line);
    v.dispatch({
      selection: { anchor: line.from, head: line.to },
      effects: EditorView.scrollIntoView(line.from, { y: 'center' }),
    });
    v.focus();
  }, [props.reveal]);

  return <div ref={host} className="code-editor" data-testid="recipe-editor" />;
}

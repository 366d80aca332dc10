/**
 * The expression editor itself: a small CodeMirror 6 view with the expression language's
 * highlighting, completion of columns and functions (with their signatures), and problems
 * marked where they are, as the service's type checker finds them. Loaded on first use, so
 * CodeMirror is not part of the window's first load.
 */
import {
  autocompletion,
  closeBrackets,
  completionKeymap,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { linter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { FUNCTIONS, returnText, signature } from '../../../../src-shared/recipe/functions';

export interface ExprColumn {
  name: string;
  type: string;
}

export interface ExprProblem {
  from: number;
  to: number;
  message: string;
}

export interface ExprEditorOptions {
  label: string;
  value: string;
  placeholder?: string;
  /** The columns to complete, read when completing (they change as the recipe does). */
  columns(): ExprColumn[];
  /** Checks the text; its problems are marked in place. */
  check(text: string): Promise<ExprProblem[]>;
  /** The text is done with (focus left, or Ctrl+Enter). */
  commit(text: string): void;
}

export interface ExprEditor {
  /** Puts text from outside (undo, the YAML view) in, unless the user is typing here. */
  setValue(text: string): void;
  focus(): void;
  destroy(): void;
}

const KEYWORDS = [
  'and',
  'or',
  'not',
  'in',
  'is',
  'null',
  'true',
  'false',
  'case',
  'when',
  'then',
  'else',
  'end',
];

/** Tokens for highlighting: the lexer's classes, with calls told from columns by the `(`. */
const language = StreamLanguage.define<{ _: null }>({
  startState: () => ({ _: null }),
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match(/^'([^']|'')*'?/) || stream.match(/^"([^"]|"")*"?/)) return 'string';
    if (stream.match(/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/)) return 'number';
    // Columns are "special" variables (tok-variableName2), function names plain ones.
    if (stream.match(/^\[[^\]]*\]?/) || stream.match(/^`[^`]*`?/)) return 'variableName.special';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      if (KEYWORDS.includes(word[0].toLowerCase())) return 'keyword';
      return /^\s*\(/.test(stream.string.slice(stream.pos))
        ? 'variableName'
        : 'variableName.special';
    }
    if (stream.match(/^(==|!=|<>|<=|>=|&&|\|\||[-+*/%<>=!])/)) return 'operator';
    stream.next();
    return 'punctuation';
  },
});

const simple = (name: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

function completions(columns: () => ExprColumn[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    // Inside [ ... : column names only, closed with the bracket.
    const bracket = ctx.matchBefore(/\[[^\]]*/);
    if (bracket) {
      return {
        from: bracket.from + 1,
        options: columns().map((c) => ({
          label: c.name,
          detail: c.type,
          type: 'variable',
          apply: (view, _c, from, to) => {
            const closes = view.state.sliceDoc(to, to + 1) === ']';
            view.dispatch({
              changes: { from, to: closes ? to + 1 : to, insert: `${c.name}]` },
              selection: { anchor: from + c.name.length + 1 },
            });
          },
        })),
        validFor: /^[^\]]*$/,
      };
    }
    const word = ctx.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
    if (!word && !ctx.explicit) return null;
    const before = ctx.state.sliceDoc(0, word?.from ?? ctx.pos);
    // Not inside a quoted text.
    if ((before.match(/'/g)?.length ?? 0) % 2 || (before.match(/"/g)?.length ?? 0) % 2) return null;
    const options: Completion[] = [
      ...columns().map((c) => ({
        label: c.name,
        apply: simple(c.name) && !KEYWORDS.includes(c.name.toLowerCase()) ? c.name : `[${c.name}]`,
        detail: c.type,
        type: 'variable',
        boost: 1,
      })),
      ...FUNCTIONS.map((f) => ({
        label: f.name,
        displayLabel: signature(f),
        detail: `→ ${returnText(f.returns)}`,
        info: f.description,
        type: 'function',
        apply: (view: EditorView, _c: Completion, from: number, to: number) => {
          view.dispatch({
            changes: { from, to, insert: `${f.name}()` },
            selection: { anchor: from + f.name.length + 1 },
          });
        },
      })),
      ...KEYWORDS.map((k) => ({ label: k, type: 'keyword', boost: -1 })),
    ];
    return { from: word?.from ?? ctx.pos, options, validFor: /^[A-Za-z0-9_]*$/ };
  };
}

const theme = EditorView.theme({
  '&': {
    background: 'var(--bg)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-content': {
    fontFamily: 'var(--mono, ui-monospace, monospace)',
    fontSize: '13px',
    padding: '4px 0',
    caretColor: 'var(--fg)',
  },
  '.cm-scroller': { minHeight: '2.2em', maxHeight: '12em' },
  '.cm-tooltip': {
    background: 'var(--panel)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
  },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    background: 'var(--accent)',
    color: 'var(--accent-fg)',
  },
  '.cm-completionDetail': { color: 'inherit', opacity: 0.7, marginLeft: '1em' },
  '.cm-completionInfo': { maxWidth: '320px' },
  '.cm-placeholder': { color: 'var(--muted)' },
});

export function createExpressionEditor(parent: HTMLElement, o: ExprEditorOptions): ExprEditor {
  let typing = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: o.value,
      extensions: [
        history(),
        closeBrackets(),
        language,
        syntaxHighlighting(classHighlighter),
        autocompletion({ override: [completions(o.columns)], icons: false }),
        linter(
          async (v) => {
            const text = v.state.doc.toString();
            const problems = await o.check(text);
            // The text may have changed while the service answered.
            if (v.state.doc.toString() !== text) return [];
            return problems.map((p): Diagnostic => ({
              from: Math.min(p.from, text.length),
              to: Math.min(Math.max(p.to, p.from), text.length),
              severity: 'error',
              message: p.message,
            }));
          },
          { delay: 300 },
        ),
        keymap.of([
          { key: 'Mod-Enter', run: (v) => (o.commit(v.state.doc.toString()), true) },
          ...completionKeymap,
          ...lintKeymap,
          ...historyKeymap,
          ...defaultKeymap,
        ]),
        EditorView.lineWrapping,
        placeholder(o.placeholder ?? ''),
        EditorView.contentAttributes.of({
          'aria-label': o.label,
          'aria-multiline': 'true',
          tabindex: '0',
        }),
        EditorView.domEventHandlers({
          focus: () => {
            typing = true;
          },
          blur: (_e, v) => {
            typing = false;
            o.commit(v.state.doc.toString());
          },
        }),
        theme,
      ],
    }),
  });
  return {
    setValue(text) {
      if (typing || text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

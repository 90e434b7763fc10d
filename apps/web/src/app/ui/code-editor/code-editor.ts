import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import { xml } from '@codemirror/lang-xml';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { minimalSetup } from 'codemirror';

import { jsonataLanguage } from './stream-languages';

export type CodeLanguage = 'jsonata' | 'xml' | 'json';

/** A problem in the text: `from`/`to` are character offsets (clamped to the text). */
export interface CodeDiagnostic {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

let nextId = 0;

function languageOf(language: CodeLanguage): Extension {
  return language === 'xml' ? xml() : jsonataLanguage;
}

/**
 * A small code editor (CodeMirror 6): JSONata, XML or JSON highlighting, and `diagnostics`
 * shown inline (underlined, with the message on hover) and listed under the editor, so they are
 * read out too. `[(value)]` binds the text: `valueChange` fires on every edit by the user, never
 * for a new `value` from outside.
 */
@Component({
  selector: 'ix-code-editor',
  template: `
    @if (diagnostics().length > 0) {
      <ul class="problems" [id]="problemsId">
        @for (problem of diagnostics(); track $index) {
          <li>{{ problem.message }}</li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .problems {
      margin: 0.25rem 0 0;
      padding-left: 1.25rem;
      color: var(--ix-danger);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CodeEditor {
  readonly value = input('');
  readonly language = input<CodeLanguage>('jsonata');
  readonly diagnostics = input<readonly CodeDiagnostic[]>([]);
  /** The accessible name of the text area. */
  readonly label = input.required<string>();
  readonly readOnly = input(false);
  /** Line numbers: on for documents (XML, stylesheets), off for one-line expressions. */
  readonly lineNumbers = input(false);
  readonly valueChange = output<string>();

  readonly problemsId = `ix-code-problems-${nextId++}`;
  private readonly languageSlot = new Compartment();
  private readonly settingsSlot = new Compartment();
  private readonly view: EditorView;

  private readonly settings = computed(() => {
    // An explicit tab stop: read-only text stays reachable by keyboard (to scroll and select
    // it), and axe counts the scrolling frame as keyboard-accessible.
    const attributes: Record<string, string> = { 'aria-label': this.label(), tabindex: '0' };
    if (this.readOnly()) attributes['aria-readonly'] = 'true';
    if (this.diagnostics().length > 0) {
      attributes['aria-invalid'] = 'true';
      attributes['aria-describedby'] = this.problemsId;
    }
    return [
      EditorView.contentAttributes.of(attributes),
      EditorState.readOnly.of(this.readOnly()),
      EditorView.editable.of(!this.readOnly()),
      this.lineNumbers() ? lineNumbers() : [],
    ];
  });

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const parent = document.createElement('div');
    parent.className = 'ix-code-editor-frame';
    host.prepend(parent);
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: '',
        extensions: [
          minimalSetup,
          EditorView.lineWrapping,
          this.languageSlot.of(jsonataLanguage),
          this.settingsSlot.of([]),
          EditorView.updateListener.of((update) => {
            const text = update.state.doc.toString();
            if (update.docChanged && text !== untracked(this.value)) this.valueChange.emit(text);
          }),
          THEME,
        ],
      }),
    });
    inject(DestroyRef).onDestroy(() => this.view.destroy());

    effect(() => {
      const value = this.value();
      const doc = this.view.state.doc;
      if (value !== doc.toString())
        this.view.dispatch({ changes: { from: 0, to: doc.length, insert: value } });
    });
    effect(() => {
      const language = this.language();
      this.view.dispatch({ effects: this.languageSlot.reconfigure(languageOf(language)) });
    });
    effect(() => {
      this.view.dispatch({ effects: this.settingsSlot.reconfigure(this.settings()) });
    });
    effect(() => {
      const problems = this.diagnostics();
      this.value(); // after the text: the offsets refer to it
      this.view.dispatch(setDiagnostics(this.view.state, this.toLint(problems)));
    });
  }

  /** The editor's current text (for tests and callers that read it directly). */
  text(): string {
    return this.view.state.doc.toString();
  }

  /** Moves the focus into the text. */
  focus(): void {
    this.view.focus();
  }

  private toLint(problems: readonly CodeDiagnostic[]): Diagnostic[] {
    const length = this.view.state.doc.length;
    return problems.map((problem) => {
      const from = Math.max(0, Math.min(problem.from, length));
      const to = Math.max(from, Math.min(problem.to, length));
      return { from, to, severity: 'error', message: problem.message };
    });
  }
}

const THEME = EditorView.theme({
  '&': {
    border: '1px solid var(--ix-border)',
    borderRadius: 'var(--ix-radius)',
    background: 'var(--ix-surface)',
    color: 'var(--ix-text)',
    fontSize: '0.875rem',
  },
  '&.cm-focused': { outline: '2px solid var(--mat-sys-primary)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '.cm-scroller': { maxHeight: '24rem', overflow: 'auto' },
  '.cm-gutters': { background: 'transparent', borderRight: '1px solid var(--ix-border)' },
});

import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { language } from '@codemirror/language';
import { EditorView } from '@codemirror/view';

import { CodeEditor, type CodeDiagnostic, type CodeLanguage } from './code-editor';

@Component({
  imports: [CodeEditor],
  template: `
    <ix-code-editor
      label="Expression"
      [language]="language()"
      [diagnostics]="diagnostics()"
      [(value)]="text"
      (valueChange)="edits.push($event)"
    />
  `,
})
class Host {
  readonly text = signal("ID.'#text'");
  readonly language = signal<CodeLanguage>('jsonata');
  readonly diagnostics = signal<CodeDiagnostic[]>([]);
  readonly edits: string[] = [];
}

/** jsdom lays nothing out: CodeMirror measures text ranges, which jsdom's Range lacks. */
beforeAll(() => {
  if ('getClientRects' in Range.prototype) return;
  Object.assign(Range.prototype, {
    getClientRects: () => [],
    getBoundingClientRect: () => new DOMRect(),
  });
});

describe('CodeEditor', () => {
  let fixture: ComponentFixture<Host>;
  let element: HTMLElement;

  const view = (): EditorView => {
    const editor = element.querySelector<HTMLElement>('.cm-editor');
    const found = editor && EditorView.findFromDOM(editor);
    if (!found) throw new Error('no editor rendered');
    return found;
  };
  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };

  beforeEach(async () => {
    fixture = TestBed.createComponent(Host);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  });

  it('shows the bound value and names the text area for assistive technology', () => {
    expect(view().state.doc.toString()).toBe("ID.'#text'");
    const content = element.querySelector('.cm-content');
    expect(content?.getAttribute('aria-label')).toBe('Expression');
    expect(content?.getAttribute('aria-invalid')).toBeNull();
  });

  it('emits valueChange for an edit by the user and updates the two-way binding', async () => {
    const editor = view();
    editor.dispatch({ changes: { from: editor.state.doc.length, insert: ' & "x"' } });
    await settle();
    expect(fixture.componentInstance.edits).toEqual([`ID.'#text' & "x"`]);
    expect(fixture.componentInstance.text()).toBe(`ID.'#text' & "x"`);
  });

  it('takes a new value from outside without echoing it back as an edit', async () => {
    fixture.componentInstance.text.set('IssueDate');
    await settle();
    expect(view().state.doc.toString()).toBe('IssueDate');
    expect(fixture.componentInstance.edits).toEqual([]);
  });

  it('marks diagnostics inline, lists their messages and flags the text as invalid', async () => {
    fixture.componentInstance.diagnostics.set([
      { from: 3, to: 99, message: 'Expected "]", got "(end)"' },
    ]);
    await settle();
    const marks = element.querySelectorAll('.cm-lintRange-error');
    expect(marks.length).toBeGreaterThan(0);
    expect([...marks].map((mark) => mark.textContent).join('')).toBe("'#text'");
    expect(element.querySelector('.problems')?.textContent?.trim()).toBe(
      'Expected "]", got "(end)"',
    );
    const content = element.querySelector('.cm-content');
    expect(content?.getAttribute('aria-invalid')).toBe('true');
    expect(content?.getAttribute('aria-describedby')).toBe(element.querySelector('.problems')?.id);

    fixture.componentInstance.diagnostics.set([]);
    await settle();
    expect(element.querySelectorAll('.cm-lintRange-error')).toHaveLength(0);
    expect(element.querySelector('.problems')).toBeNull();
  });

  it('switches the highlighting language between JSONata and XML', async () => {
    expect(view().state.facet(language)?.name).toBe('jsonata');
    fixture.componentInstance.language.set('xml');
    await settle();
    expect(view().state.facet(language)?.name).toBe('xml');
  });
});

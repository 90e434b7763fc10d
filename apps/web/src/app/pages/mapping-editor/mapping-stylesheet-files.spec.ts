import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { EditorView } from '@codemirror/view';

import { MappingDraft } from './mapping-draft';
import { MappingStylesheetFiles } from './mapping-stylesheet-files';

/** jsdom lays nothing out: CodeMirror measures text ranges, which jsdom's Range lacks. */
beforeAll(() => {
  if ('getClientRects' in Range.prototype) return;
  Object.assign(Range.prototype, {
    getClientRects: () => [],
    getBoundingClientRect: () => new DOMRect(),
  });
});

describe('MappingStylesheetFiles', () => {
  let fixture: ComponentFixture<MappingStylesheetFiles>;
  let draft: MappingDraft;
  let element: HTMLElement;

  const settle = async () => {
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
  };
  const tabs = () =>
    [...element.querySelectorAll('[role="tab"]')].map((t) => t.textContent?.trim());
  const tab = (name: string) =>
    [...element.querySelectorAll<HTMLElement>('[role="tab"]')].find(
      (t) => t.textContent?.trim() === name,
    );
  const button = (name: string) =>
    [...element.querySelectorAll<HTMLButtonElement>('button')].find(
      (b) => b.textContent?.trim() === name,
    );
  const editorText = () => {
    const dom = element.querySelector<HTMLElement>('.cm-editor');
    return dom ? EditorView.findFromDOM(dom)?.state.doc.toString() : undefined;
  };
  const pathInput = () => element.querySelector<HTMLInputElement>('#stylesheet-file-path');

  async function open(editable: boolean) {
    TestBed.configureTestingModule({ providers: [MappingDraft] });
    draft = TestBed.inject(MappingDraft);
    draft.stylesheet.set('<main/>');
    draft.files.set([{ path: 'common.xsl', text: '<common/>' }]);
    fixture = TestBed.createComponent(MappingStylesheetFiles);
    fixture.componentRef.setInput('editable', editable);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  }

  it('shows one tab per file and edits the selected file in the code editor', async () => {
    await open(true);
    expect(tabs()).toEqual(['Main stylesheet', 'common.xsl']);
    expect(editorText()).toBe('<main/>');
    tab('common.xsl')?.click();
    await settle();
    expect(editorText()).toBe('<common/>');
    expect(pathInput()?.value).toBe('common.xsl');
    const dom = element.querySelector<HTMLElement>('.cm-editor');
    const view = dom && EditorView.findFromDOM(dom);
    view?.dispatch({ changes: { from: 0, insert: '<!-- shared -->' } });
    expect(draft.files()).toEqual([{ path: 'common.xsl', text: '<!-- shared --><common/>' }]);
    expect(draft.stylesheet()).toBe('<main/>');
  });

  it('adds a file as a new tab, renames it, and refuses a path another file has', async () => {
    await open(true);
    button('Add file')?.click();
    await settle();
    expect(tabs()).toEqual(['Main stylesheet', 'common.xsl', 'include-2.xsl']);
    const path = pathInput();
    if (!path) throw new Error('no path input');
    path.value = 'dates.xsl';
    path.dispatchEvent(new Event('change'));
    await settle();
    expect(draft.files().map((f) => f.path)).toEqual(['common.xsl', 'dates.xsl']);

    path.value = 'common.xsl';
    path.dispatchEvent(new Event('change'));
    await settle();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain(
      'Another file already has that path',
    );
    expect(draft.files().map((f) => f.path)).toEqual(['common.xsl', 'dates.xsl']);
    expect(pathInput()?.value).toBe('dates.xsl');
  });

  it('removes the selected file and goes back to the main stylesheet', async () => {
    await open(true);
    tab('common.xsl')?.click();
    await settle();
    button('Remove file')?.click();
    await settle();
    expect(tabs()).toEqual(['Main stylesheet']);
    expect(draft.files()).toEqual([]);
    expect(editorText()).toBe('<main/>');
  });

  it('offers no add, rename or remove when the mapping is read-only', async () => {
    await open(false);
    tab('common.xsl')?.click();
    await settle();
    expect(button('Add file')).toBeUndefined();
    expect(button('Remove file')).toBeUndefined();
    expect(pathInput()?.readOnly).toBe(true);
  });
});

import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { CodeEditor } from '../../ui/code-editor/code-editor';
import { MappingDraft } from './mapping-draft';

/** What a new included file starts as. */
const NEW_FILE_TEXT = `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
</xsl:stylesheet>
`;

/**
 * An XSLT mapping's bundle: the main stylesheet and the files it includes or imports, one tab
 * each, the selected one in the code editor with the last save's errors inline. Files can be
 * added, renamed (a path another file has is refused) and removed.
 */
@Component({
  selector: 'ix-mapping-stylesheet-files',
  imports: [MatButtonModule, CodeEditor],
  template: `
    <div class="tabs" role="tablist" aria-label="Stylesheet files">
      <button
        role="tab"
        type="button"
        [attr.aria-selected]="active() === null"
        (click)="active.set(null)"
      >
        Main stylesheet
      </button>
      @for (file of draft.files(); track $index; let i = $index) {
        <button role="tab" type="button" [attr.aria-selected]="active() === i" (click)="select(i)">
          {{ file.path }}
        </button>
      }
      @if (editable()) {
        <button matButton type="button" (click)="add()">Add file</button>
      }
    </div>
    @if (activeFile(); as file) {
      <div class="file-head">
        <label for="stylesheet-file-path">Path</label>
        <input
          id="stylesheet-file-path"
          autocomplete="off"
          [readOnly]="!editable()"
          [value]="file.path"
          (change)="rename($any($event.target))"
        />
        @if (editable()) {
          <button matButton="outlined" type="button" (click)="remove()">Remove file</button>
        }
      </div>
      @if (renameRefused()) {
        <p class="refused" role="alert">
          Another file already has that path (or it is empty): the name is unchanged.
        </p>
      }
      <ix-code-editor
        [label]="'XSLT file ' + file.path"
        language="xml"
        [lineNumbers]="true"
        [readOnly]="!editable()"
        [value]="file.text"
        [diagnostics]="draft.fileDiagnostics(file.path)"
        (valueChange)="draft.setFileText(file.index, $event)"
      />
    } @else {
      <ix-code-editor
        label="XSLT stylesheet"
        language="xml"
        [lineNumbers]="true"
        [readOnly]="!editable()"
        [value]="draft.stylesheet()"
        [diagnostics]="draft.stylesheetDiagnostics()"
        (valueChange)="draft.stylesheet.set($event)"
      />
    }
  `,
  styles: `
    .tabs {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem;
      margin-bottom: 0.5rem;
      border-bottom: 1px solid var(--ix-border);
    }
    [role='tab'] {
      padding: 0.375rem 0.75rem;
      border: 0;
      border-bottom: 2px solid transparent;
      background: none;
      color: var(--ix-text);
      font: inherit;
      cursor: pointer;
    }
    [role='tab'][aria-selected='true'] {
      border-bottom-color: var(--mat-sys-primary, #3f51b5);
      font-weight: 600;
    }
    .file-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      margin-bottom: 0.5rem;
    }
    .file-head input {
      min-width: 16rem;
      padding: 0.375rem 0.5rem;
      font: inherit;
    }
    .refused {
      color: var(--ix-danger, #b3261e);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingStylesheetFiles {
  readonly draft = inject(MappingDraft);
  readonly editable = input(false);

  /** The selected included file's index, or null for the main stylesheet. */
  readonly active = signal<number | null>(null);
  readonly renameRefused = signal(false);
  readonly activeFile = computed(() => {
    const index = this.active();
    const file = index === null ? undefined : this.draft.files()[index];
    return index !== null && file ? { ...file, index } : null;
  });

  select(index: number): void {
    this.active.set(index);
    this.renameRefused.set(false);
  }

  /** Adds `include-N.xsl` (the first unused N) and selects it. */
  add(): void {
    const taken = new Set(this.draft.files().map((file) => file.path));
    let n = taken.size + 1;
    while (taken.has(`include-${n}.xsl`)) n++;
    this.select(this.draft.addFile(`include-${n}.xsl`, NEW_FILE_TEXT));
  }

  rename(field: HTMLInputElement): void {
    const file = this.activeFile();
    if (!file) return;
    const renamed = this.draft.renameFile(file.index, field.value);
    this.renameRefused.set(!renamed);
    if (!renamed) field.value = file.path;
  }

  remove(): void {
    const file = this.activeFile();
    if (!file) return;
    this.draft.removeFile(file.index);
    this.active.set(null);
    this.renameRefused.set(false);
  }
}

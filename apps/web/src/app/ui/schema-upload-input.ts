import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  output,
  signal,
} from '@angular/core';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type SchemaFileDto } from '@integrixs/api-client';

import { type SchemaUpload } from '../api/schemas-api.service';

/** What was chosen: the text files (paths kept), or one zip as base64. */
type Chosen = { readonly files: SchemaFileDto[] } | { readonly zip: string };

/**
 * The files of a schema upload, read in the browser: several .xsd, .wsdl or .json files (each
 * under its `webkitRelativePath` or name), or one .zip sent as base64; and the optional main file.
 * Emits the upload whenever it changes, or null while there is none (nothing chosen, unreadable).
 */
@Component({
  selector: 'ix-schema-upload-input',
  imports: [MatAutocompleteModule, MatFormFieldModule, MatInputModule],
  template: `
    <div class="ix-field">
      <label for="schema-files">Files</label>
      <input
        id="schema-files"
        class="files"
        name="files"
        type="file"
        multiple
        accept=".xsd,.wsdl,.json,.xml,.zip"
        [attr.aria-invalid]="error() !== null"
        aria-describedby="schema-files-hint"
        (change)="choose($event)"
      />
      <p id="schema-files-hint" class="ix-hint">
        Several .xsd, .wsdl or .json files (relative imports between them resolve), or one .zip of
        them.
      </p>
      @switch (error()) {
        @case ('mixed') {
          <p class="ix-hint error" role="alert">Choose schema files, or a single .zip alone.</p>
        }
        @case ('unreadable') {
          <p class="ix-hint error" role="alert">The files could not be read.</p>
        }
      }
    </div>
    <mat-form-field>
      <mat-label>Main file (optional)</mat-label>
      <input
        matInput
        name="main"
        type="text"
        autocomplete="off"
        spellcheck="false"
        [matAutocomplete]="mainPaths"
        [value]="main()"
        (input)="main.set(valueOf($event))"
      />
      <mat-autocomplete
        #mainPaths="matAutocomplete"
        (optionSelected)="main.set($event.option.value)"
      >
        @for (path of paths(); track path) {
          <mat-option [value]="path">{{ path }}</mat-option>
        }
      </mat-autocomplete>
      <mat-hint>The entry file; when left empty, the one file no other file refers to.</mat-hint>
    </mat-form-field>
  `,
  styles: `
    .files {
      padding: 0.5rem 0;
      color: var(--ix-text);
      font: var(--mat-sys-body-medium);
    }
    .error {
      color: var(--ix-danger);
    }
    mat-form-field {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemaUploadInput {
  readonly upload = output<SchemaUpload | null>();

  readonly chosen = signal<Chosen | null>(null);
  readonly main = signal('');
  readonly error = signal<'mixed' | 'unreadable' | null>(null);
  /** The chosen files' paths, offered for the main file. */
  readonly paths = computed(() => {
    const chosen = this.chosen();
    return chosen && 'files' in chosen ? chosen.files.map((file) => file.path) : [];
  });

  constructor() {
    effect(() => {
      const chosen = this.chosen();
      const main = this.main().trim();
      this.upload.emit(chosen ? { ...chosen, ...(main ? { main } : {}) } : null);
    });
  }

  valueOf(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  choose(event: Event): void {
    const files = Array.from((event.target as HTMLInputElement).files ?? []);
    void this.read(files);
  }

  private async read(files: File[]): Promise<void> {
    this.chosen.set(null);
    this.error.set(null);
    if (files.length === 0) return;
    const zips = files.filter((file) => file.name.toLowerCase().endsWith('.zip'));
    if (zips.length > 0 && files.length > 1) {
      this.error.set('mixed');
      return;
    }
    try {
      const [zip] = zips;
      this.chosen.set(
        zip
          ? { zip: await base64Of(zip) }
          : {
              files: await Promise.all(
                files.map(async (file) => ({
                  path: file.webkitRelativePath || file.name,
                  text: await file.text(),
                })),
              ),
            },
      );
    } catch {
      this.error.set('unreadable');
    }
  }
}

/** A file's bytes as base64 (in chunks: one spread of a big file would overflow the stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

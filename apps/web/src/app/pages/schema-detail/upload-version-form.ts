import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type SchemaDetailDto, type SchemaProblemDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { schemaProblemsOf, SchemasApi, type SchemaUpload } from '../../api/schemas-api.service';
import { ProblemMessage } from '../../ui/problem-message';
import { SchemaProblems } from '../../ui/schema-problems';
import { SchemaUploadInput } from '../../ui/schema-upload-input';

/**
 * "Upload new version": new files for the schema, compiled first; a schema that does not compile
 * comes back with every problem located, identical content makes no new version. When someone
 * else changed the schema since it was read (412), it offers to reload it.
 */
@Component({
  selector: 'ix-upload-version-form',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    ProblemMessage,
    SchemaProblems,
    SchemaUploadInput,
  ],
  template: `
    <form class="ix-form" novalidate (submit)="submit($event)">
      <ix-schema-upload-input (upload)="upload.set($event)" />
      <mat-form-field>
        <mat-label>Message (optional)</mat-label>
        <input
          matInput
          name="message"
          type="text"
          autocomplete="off"
          [value]="message()"
          (input)="message.set(valueOf($event))"
        />
      </mat-form-field>

      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure">
          The new version could not be uploaded.
          @if (problems().length > 0) {
            <ix-schema-problems actions [problems]="problems()" />
          }
          @if (failure.status === 412) {
            <button actions matButton="outlined" type="button" (click)="reload.emit()">
              Reload
            </button>
          }
        </ix-problem-message>
      }

      <div class="ix-actions">
        <button
          matButton="filled"
          type="submit"
          [disabled]="busy() || !upload()"
          [attr.aria-busy]="busy()"
        >
          @if (busy()) {
            Uploading…
          } @else {
            Upload
          }
        </button>
        <button matButton="outlined" type="button" (click)="cancelled.emit()">Cancel</button>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UploadVersionForm {
  private readonly api = inject(SchemasApi);

  readonly schema = input.required<SchemaDetailDto>();
  /** The schema after the upload (its `currentVersion` unchanged when the content was identical). */
  readonly uploaded = output<SchemaDetailDto>();
  readonly cancelled = output();
  /** The schema was changed by someone else: the page should load it again. */
  readonly reload = output();

  readonly upload = signal<SchemaUpload | null>(null);
  readonly message = signal('');
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly problems = signal<SchemaProblemDto[]>([]);

  valueOf(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  submit(event: Event): void {
    event.preventDefault();
    const upload = this.upload();
    if (this.busy() || !upload) return;
    void this.send(upload, this.message().trim() || undefined);
  }

  private async send(upload: SchemaUpload, message: string | undefined): Promise<void> {
    const { packageId, id, version } = this.schema();
    this.busy.set(true);
    this.failure.set(null);
    const outcome = await this.api.upload(packageId, id, version, upload, message);
    this.busy.set(false);
    if (!outcome.ok) {
      this.failure.set(outcome.failure);
      this.problems.set(schemaProblemsOf(outcome.failure));
      return;
    }
    this.uploaded.emit(outcome.data);
  }
}

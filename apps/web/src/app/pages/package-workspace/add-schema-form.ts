import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';

import { type SchemaProblemDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import {
  schemaProblemsOf,
  SchemasApi,
  type NewSchema,
  type SchemaUpload,
} from '../../api/schemas-api.service';
import { ApiErrorPipe, applyProblemErrors } from '../../ui/problem-form-errors';
import { ProblemMessage } from '../../ui/problem-message';
import { SchemaProblems } from '../../ui/schema-problems';
import { SchemaUploadInput } from '../../ui/schema-upload-input';

/**
 * "Add schema": a name, a type, an optional description and the files; the API compiles them first, so a schema that does
 * not compile comes back with every problem located. A new schema opens its page.
 */
@Component({
  selector: 'ix-add-schema-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    ApiErrorPipe,
    ProblemMessage,
    SchemaProblems,
    SchemaUploadInput,
  ],
  template: `
    <form
      class="ix-form"
      novalidate
      aria-labelledby="add-schema-heading"
      [formGroup]="form"
      (ngSubmit)="submit()"
    >
      <h3 id="add-schema-heading">Add a schema</h3>
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput formControlName="name" autocomplete="off" required />
        @if (form.controls.name | apiError; as message) {
          <mat-error>{{ message }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Type</mat-label>
        <!-- A native select: one click fewer than an overlay, and a plain form control. -->
        <select matNativeControl formControlName="type">
          <option value="XSD">XSD</option>
          <option value="WSDL">WSDL</option>
          <option value="JSON_SCHEMA">JSON Schema</option>
        </select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Description (optional)</mat-label>
        <textarea
          matInput
          formControlName="description"
          rows="3"
          [attr.maxlength]="descriptionMax"
        ></textarea>
        @if (form.controls.description | apiError; as message) {
          <mat-error>{{ message }}</mat-error>
        }
      </mat-form-field>
      <ix-schema-upload-input (upload)="upload.set($event)" />

      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure">
          The schema could not be added.
          @if (problems().length > 0) {
            <ix-schema-problems actions [problems]="problems()" />
          }
        </ix-problem-message>
      }

      <div class="ix-actions">
        <button
          matButton="filled"
          type="submit"
          [disabled]="busy() || !value().name?.trim() || !upload()"
          [attr.aria-busy]="busy()"
        >
          @if (busy()) {
            Adding…
          } @else {
            Add schema
          }
        </button>
        <button matButton="outlined" type="button" (click)="cancelled.emit()">Cancel</button>
      </div>
    </form>
  `,
  styles: `
    form {
      margin-top: 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddSchemaForm {
  private readonly api = inject(SchemasApi);
  private readonly router = inject(Router);

  readonly packageId = input.required<string>();
  readonly cancelled = output();

  /** The API's limit on a description. */
  readonly descriptionMax = 2000;
  readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true }), // `required` in the template validates it
    type: new FormControl<NewSchema['type']>('XSD', { nonNullable: true }),
    description: new FormControl('', { nonNullable: true }),
  });
  /** The form's value as a signal (the submit button follows it). */
  readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  readonly upload = signal<SchemaUpload | null>(null);
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly problems = signal<SchemaProblemDto[]>([]);

  submit(): void {
    const upload = this.upload();
    const { name, type, description } = this.form.getRawValue();
    if (this.busy() || !upload || !name.trim()) return;
    const text = description.trim();
    void this.add({ name: name.trim(), type, ...(text ? { description: text } : {}) }, upload);
  }

  private async add(schema: NewSchema, upload: SchemaUpload): Promise<void> {
    const packageId = this.packageId();
    this.busy.set(true);
    this.failure.set(null);
    const outcome = await this.api.create(packageId, schema, upload);
    this.busy.set(false);
    if (!outcome.ok) {
      this.failure.set(outcome.failure);
      this.problems.set(schemaProblemsOf(outcome.failure));
      // Field errors (a name already taken, a description too long) also show on their field.
      applyProblemErrors(this.form, outcome.failure);
      return;
    }
    await this.router.navigate(['/packages', packageId, 'schemas', outcome.data.id]);
  }
}

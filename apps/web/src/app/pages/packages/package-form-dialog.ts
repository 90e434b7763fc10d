import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type PackageDto } from '@integrixs/api-client';

import { type ApiFailure, type ApiResult } from '../../api/api-result';
import { PackagesApi, type PackageFields } from '../../api/packages-api.service';
import { ConflictResolver, pickFields } from '../../ui/conflict-dialog';
import { ApiErrorPipe, applyProblemErrors } from '../../ui/problem-form-errors';
import { ProblemMessage } from '../../ui/problem-message';

/** The package to edit, or none to create one. */
export interface PackageFormData {
  readonly pkg: PackageDto | null;
  /**
   * Saves an edit (default: PackagesApi.update). The workspace passes one that shows the new
   * values at once and rolls them back when the API refuses (optimistic update).
   */
  readonly save?: (
    id: string,
    version: number,
    fields: PackageFields,
  ) => Promise<ApiResult<PackageDto>>;
}

const PACKAGE_FIELD_LABELS = {
  name: 'Name',
  description: 'Description',
  tags: 'Tags',
  owner: 'Owner',
} as const;

/**
 * Creates or edits a package (name, description, tags, owner) in a dialog. The API's field
 * errors show on their fields; a 412 (someone else saved first) opens the conflict dialog
 * (reload theirs into the form, or overwrite with the version just read). Closes with the saved
 * package.
 */
@Component({
  selector: 'ix-package-form-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ApiErrorPipe,
    ProblemMessage,
  ],
  template: `
    <h2 mat-dialog-title>{{ data.pkg ? 'Edit package' : 'New package' }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content>
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required cdkFocusInitial />
          @if (form.controls.name | apiError; as message) {
            <mat-error>{{ message }}</mat-error>
          } @else if (form.controls.name.hasError('required')) {
            <mat-error>A package needs a name.</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Description</mat-label>
          <textarea matInput formControlName="description" rows="3"></textarea>
          @if (form.controls.description | apiError; as message) {
            <mat-error>{{ message }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Tags</mat-label>
          <input matInput formControlName="tags" />
          <mat-hint>Separated by commas, e.g. sales, erp</mat-hint>
          @if (form.controls.tags | apiError; as message) {
            <mat-error>{{ message }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Owner</mat-label>
          <input matInput formControlName="owner" />
          <mat-hint>The owning team or person (optional)</mat-hint>
          @if (form.controls.owner | apiError; as message) {
            <mat-error>{{ message }}</mat-error>
          }
        </mat-form-field>
        @if (failure(); as failure) {
          <ix-problem-message [failure]="failure">
            @if (failure.status === 412) {
              Someone else changed this package since you opened it. Save again to choose whose
              version stays.
            } @else {
              The package could not be saved.
            }
          </ix-problem-message>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close>Cancel</button>
        <button matButton="filled" type="submit" [disabled]="saving()">
          @if (saving()) {
            Saving…
          } @else {
            {{ data.pkg ? 'Save' : 'Create' }}
          }
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      display: block;
      width: 100%;
      margin-bottom: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PackageFormDialog {
  readonly data = inject<PackageFormData>(MAT_DIALOG_DATA);
  private readonly api = inject(PackagesApi);
  private readonly ref = inject<MatDialogRef<PackageFormDialog, PackageDto>>(MatDialogRef);
  private readonly conflicts = inject(ConflictResolver);
  /** The package as last read: the version an edit is sent against. */
  private base = this.data.pkg;

  readonly form = new FormGroup({
    name: new FormControl(this.data.pkg?.name ?? '', {
      nonNullable: true,
      validators: [(control) => Validators.required(control)],
    }),
    description: new FormControl(this.data.pkg?.description ?? '', { nonNullable: true }),
    tags: new FormControl(this.data.pkg?.tags.join(', ') ?? '', { nonNullable: true }),
    owner: new FormControl(this.data.pkg?.owner ?? '', { nonNullable: true }),
  });
  readonly saving = signal(false);
  readonly failure = signal<ApiFailure | null>(null);

  async save(): Promise<void> {
    if (this.form.invalid || this.saving()) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const fields: PackageFields = {
      name: value.name.trim(),
      description: value.description,
      tags: value.tags
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
      owner: value.owner.trim() || null,
    };
    this.saving.set(true);
    this.failure.set(null);
    const pkg = this.base;
    const update = (version: number) =>
      (this.data.save ?? this.api.update.bind(this.api))(pkg?.id ?? '', version, fields);
    let result = pkg ? await update(pkg.version) : await this.api.create(fields);
    if (pkg && !result.ok && result.failure.status === 412) {
      const { choice, theirs } = await this.conflicts.resolve({
        what: `The package ${pkg.name}`,
        mine: pickFields(fields, PACKAGE_FIELD_LABELS),
        loadTheirs: () => this.api.get(pkg.id),
        fieldsOf: (current) => pickFields(current, PACKAGE_FIELD_LABELS),
        describe: (current) => ({
          by: current.updatedByName ?? current.updatedBy,
          at: current.updatedAt,
          version: current.version,
        }),
      });
      if (theirs) this.base = theirs;
      if (choice === 'overwrite' && theirs) result = await update(theirs.version);
      else if (choice === 'reload' && theirs) {
        this.form.reset({
          name: theirs.name,
          description: theirs.description,
          tags: theirs.tags.join(', '),
          owner: theirs.owner ?? '',
        });
        this.saving.set(false);
        return;
      }
    }
    this.saving.set(false);
    if (result.ok) {
      this.ref.close(result.data);
      return;
    }
    applyProblemErrors(this.form, result.failure);
    this.failure.set(result.failure);
  }
}

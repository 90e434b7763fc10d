import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, Injectable } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialog,
  MatDialogModule,
  type MatDialogRef,
} from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

import { type ApiResult } from '../api/api-result';

/** One field that differs between what the user tried to save and what is saved now. */
export interface ConflictField {
  readonly label: string;
  readonly mine: string;
  readonly theirs: string;
}

/** What the conflict dialog shows. */
export interface ConflictDialogData {
  /** What was being saved, e.g. "the adapter Orders in". */
  readonly what: string;
  /** Who saved the version in the way, and when (ISO-8601). */
  readonly by: string | null;
  readonly at: string | null;
  readonly theirVersion: number;
  readonly fields: readonly ConflictField[];
}

/** "Reload theirs" drops the user's changes; "Overwrite with mine" saves them over. */
export type ConflictChoice = 'reload' | 'overwrite';

/**
 * The one dialog every 412 opens: someone else saved first. It says who and when and lists the
 * fields where their version differs from the user's, then offers "Reload theirs" or
 * "Overwrite with mine". Escape or a click outside chooses nothing (the form stays as it is).
 */
@Component({
  selector: 'ix-conflict-dialog',
  imports: [DatePipe, MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>Someone else saved first</h2>
    <mat-dialog-content>
      <p id="ix-conflict-message">
        {{ data.what }} was changed
        @if (data.by) {
          by <strong class="who">{{ data.by }}</strong>
        }
        @if (data.at) {
          at <time [attr.datetime]="data.at">{{ data.at | date: 'medium' }}</time>
        }
        (now version {{ data.theirVersion }}) after you opened it.
      </p>
      @if (data.fields.length > 0) {
        <table class="diff" aria-label="Fields that differ">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Yours</th>
              <th scope="col">Theirs</th>
            </tr>
          </thead>
          <tbody>
            @for (field of data.fields; track field.label) {
              <tr>
                <th scope="row">{{ field.label }}</th>
                <td class="mine">{{ field.mine }}</td>
                <td class="theirs">{{ field.theirs }}</td>
              </tr>
            }
          </tbody>
        </table>
      } @else {
        <p>Your changes and theirs set the same values.</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" mat-dialog-close>Cancel</button>
      <button matButton="outlined" type="button" [mat-dialog-close]="'reload'" cdkFocusInitial>
        Reload theirs
      </button>
      <button matButton="filled" type="button" [mat-dialog-close]="'overwrite'">
        Overwrite with mine
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      margin: 0 0 0.75rem;
    }
    .diff {
      width: 100%;
      border-collapse: collapse;
      font: var(--mat-sys-body-small);
    }
    .diff th,
    .diff td {
      padding: 0.25rem 0.5rem;
      border-bottom: 1px solid var(--ix-border, #c4c7c5);
      text-align: left;
      vertical-align: top;
      white-space: pre-wrap;
      word-break: break-word;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConflictDialogComponent {
  readonly data = inject<ConflictDialogData>(MAT_DIALOG_DATA);
}

/** A 412 to resolve: what the user sent, and how to read and describe the saved version. */
export interface ConflictRequest<T> {
  readonly what: string;
  /** The user's values by field label, as sent. */
  readonly mine: Readonly<Record<string, unknown>>;
  readonly loadTheirs: () => Promise<ApiResult<T>>;
  /** The saved version's values by the same labels. */
  readonly fieldsOf: (theirs: T) => Readonly<Record<string, unknown>>;
  readonly describe: (theirs: T) => { by: string | null; at: string | null; version: number };
}

/** What the user chose, with the saved version it was made against. */
export type ConflictOutcome<T> =
  | { readonly choice: ConflictChoice; readonly theirs: T }
  | { readonly choice: null; readonly theirs: T | null };

const MAX_SHOWN = 300;

/** A field's value in words: strings as they are, the rest as JSON, long ones cut. */
export function shownValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** The labels whose values differ (compared as JSON), in the order of `mine`. */
export function differingFields(
  mine: Readonly<Record<string, unknown>>,
  theirs: Readonly<Record<string, unknown>>,
): ConflictField[] {
  return Object.keys(mine)
    .filter(
      (label) => JSON.stringify(mine[label] ?? null) !== JSON.stringify(theirs[label] ?? null),
    )
    .map((label) => ({
      label,
      mine: shownValue(mine[label]),
      theirs: shownValue(theirs[label]),
    }));
}

/**
 * Opens the conflict dialog for a 412: loads the saved version, shows who changed what, and
 * resolves with the user's choice. There is one dialog at a time: a second 412 while it is open
 * waits for the same answer (choice null when the saved version cannot be read).
 */
@Injectable({ providedIn: 'root' })
export class ConflictResolver {
  private readonly dialog = inject(MatDialog);
  private open: MatDialogRef<ConflictDialogComponent, ConflictChoice> | null = null;

  async resolve<T>(request: ConflictRequest<T>): Promise<ConflictOutcome<T>> {
    const loaded = await request.loadTheirs();
    if (!loaded.ok) return { choice: null, theirs: null };
    const theirs = loaded.data;
    const ref = this.open ?? this.openDialog(request, theirs);
    const choice = await firstValueFrom(ref.afterClosed());
    // Cancel, Escape or a click outside: no choice.
    return { choice: choice === 'reload' || choice === 'overwrite' ? choice : null, theirs };
  }

  private openDialog<T>(
    request: ConflictRequest<T>,
    theirs: T,
  ): MatDialogRef<ConflictDialogComponent, ConflictChoice> {
    const { by, at, version } = request.describe(theirs);
    const ref = this.dialog.open<ConflictDialogComponent, ConflictDialogData, ConflictChoice>(
      ConflictDialogComponent,
      {
        data: {
          what: request.what,
          by,
          at,
          theirVersion: version,
          fields: differingFields(request.mine, request.fieldsOf(theirs)),
        },
        role: 'alertdialog',
        ariaDescribedBy: 'ix-conflict-message',
        width: '40rem',
        maxWidth: '95vw',
      },
    );
    this.open = ref;
    ref.afterClosed().subscribe(() => {
      if (this.open === ref) this.open = null;
    });
    return ref;
  }
}

/** `source`'s values under their labels, e.g. `pickFields(dto, { name: 'Name' })`. */
export function pickFields(
  source: object,
  labels: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const values = source as Record<string, unknown>;
  return Object.fromEntries(Object.entries(labels).map(([key, label]) => [label, values[key]]));
}

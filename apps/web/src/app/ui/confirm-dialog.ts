import { ChangeDetectionStrategy, Component, inject, Injectable } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

/** What to ask. The page words every string (STYLE.md: user-visible text stays with the page). */
export interface Confirmation {
  readonly title: string;
  readonly message: string;
  /** The button that goes ahead, named for what it does ("Roll back", "Remove"). */
  readonly confirm: string;
  readonly cancel?: string;
  /** The action destroys or replaces something: the confirm button shows it. */
  readonly destructive?: boolean;
}

/**
 * The dialog ConfirmDialog opens: title, message, Cancel (focused first, and what Escape or a
 * click outside means) and the confirm button.
 */
@Component({
  selector: 'ix-confirm-dialog',
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p id="ix-confirm-message">{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" [mat-dialog-close]="false" cdkFocusInitial>
        {{ data.cancel ?? 'Cancel' }}
      </button>
      <button
        matButton="filled"
        type="button"
        [class.destructive]="data.destructive"
        [mat-dialog-close]="true"
      >
        {{ data.confirm }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      margin: 0;
    }
    .destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialogComponent {
  readonly data = inject<Confirmation>(MAT_DIALOG_DATA);
}

/** Asks the user to confirm an action in a modal dialog; resolves true only when they do. */
@Injectable({ providedIn: 'root' })
export class ConfirmDialog {
  private readonly dialog = inject(MatDialog);

  async ask(confirmation: Confirmation): Promise<boolean> {
    const ref = this.dialog.open<ConfirmDialogComponent, Confirmation, boolean>(
      ConfirmDialogComponent,
      {
        data: confirmation,
        role: 'alertdialog',
        ariaDescribedBy: 'ix-confirm-message',
        maxWidth: '32rem',
      },
    );
    return (await firstValueFrom(ref.afterClosed())) === true;
  }
}

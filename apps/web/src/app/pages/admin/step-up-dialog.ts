import { ChangeDetectionStrategy, Component, inject, Injectable, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';

import { type ApiFailure, type ApiResult } from '../../api/api-result';
import { needsStepUp } from '../../api/deployments-api.service';
import { UsersApi } from '../../api/users-api.service';
import { AuthService } from '../../auth/auth.service';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * Asks for a current MFA code (or a recovery code) and confirms it with the API
 * (`POST /api/auth/mfa/verify`); closes with true once the session holds a freshly confirmed
 * access token. A wrong code stays in the dialog with the API's message.
 */
@Component({
  selector: 'ix-step-up-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ProblemMessage,
  ],
  template: `
    <form novalidate (submit)="confirm($event)">
      <h2 mat-dialog-title>Confirm it is you</h2>
      <mat-dialog-content>
        <p id="ix-step-up-help">
          This change needs a recent two-step verification. Enter the code from your authenticator
          app.
        </p>
        <mat-form-field>
          <mat-label>Authentication code</mat-label>
          <input
            matInput
            name="step-up-code"
            inputmode="numeric"
            autocomplete="one-time-code"
            aria-describedby="ix-step-up-help"
            cdkFocusInitial
            [ngModel]="code()"
            (ngModelChange)="code.set($event)"
          />
        </mat-form-field>
        @if (failure(); as failure) {
          <ix-problem-message [failure]="failure">The code was not accepted.</ix-problem-message>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" [mat-dialog-close]="false">Cancel</button>
        <button matButton="filled" type="submit" [disabled]="busy() || code().trim() === ''">
          @if (busy()) {
            Confirming…
          } @else {
            Confirm
          }
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StepUpDialogComponent {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthService);
  private readonly ref = inject<MatDialogRef<StepUpDialogComponent, boolean>>(MatDialogRef);

  readonly code = signal('');
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);

  async confirm(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy() || this.code().trim() === '') return;
    this.busy.set(true);
    this.failure.set(null);
    const confirmed = await this.api.stepUp(this.code().trim());
    this.busy.set(false);
    if (!confirmed.ok) {
      this.failure.set(confirmed.failure);
      return;
    }
    this.auth.mfaConfirmed(confirmed.data.accessToken);
    this.ref.close(true);
  }
}

/**
 * Runs an action that may need an MFA step-up: when the API answers 401 `mfa_required`, asks for
 * a code (StepUpDialogComponent) and runs the action once more. Cancelling answers the refusal.
 */
@Injectable({ providedIn: 'root' })
export class StepUp {
  private readonly dialog = inject(MatDialog);

  async run<T>(action: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const first = await action();
    if (first.ok || !needsStepUp(first.failure)) return first;
    const ref = this.dialog.open<StepUpDialogComponent, undefined, boolean>(StepUpDialogComponent, {
      maxWidth: '28rem',
    });
    const confirmed = (await firstValueFrom(ref.afterClosed())) === true;
    return confirmed ? action() : first;
  }
}

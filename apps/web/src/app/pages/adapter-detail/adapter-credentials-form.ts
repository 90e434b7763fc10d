import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type EffectiveConfigDto } from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiFailure } from '../../api/api-result';
import { AuthService } from '../../auth/auth.service';
import { ProblemMessage } from '../../ui/problem-message';
import { labelOf, setSecrets } from './adapter-form-fields';

/**
 * Sets or rotates an adapter's secrets in one environment: one write-only input per secret
 * field, saying whether a value is set there. Values are never shown or prefilled. When the API
 * asks for a recent MFA confirmation (401 `mfa_required`), it asks for a code and tries again.
 */
@Component({
  selector: 'ix-adapter-credentials-form',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, ProblemMessage],
  template: `
    @if (pointers().length === 0) {
      <p class="ix-muted">This adapter type has no secret fields.</p>
    } @else {
      <form class="ix-form" novalidate (submit)="submit($event)">
        @for (pointer of pointers(); track pointer) {
          <mat-form-field>
            <mat-label>{{ labelFor(pointer) }} in {{ environment() }}</mat-label>
            <input
              matInput
              type="password"
              autocomplete="new-password"
              [name]="pointer"
              [ngModel]="values()[pointer] ?? ''"
              (ngModelChange)="setValue(pointer, $event)"
            />
            <mat-hint [attr.data-secret]="set().has(pointer) ? 'set' : 'not-set'">
              {{ set().has(pointer) ? 'Set' : 'Not set' }} — write-only
            </mat-hint>
          </mat-form-field>
        }
        @if (askCode()) {
          <mat-form-field>
            <mat-label>MFA code</mat-label>
            <input
              matInput
              name="mfa-code"
              inputmode="numeric"
              autocomplete="one-time-code"
              [ngModel]="code()"
              (ngModelChange)="code.set($event)"
            />
            <mat-hint>Changing credentials needs a recent MFA confirmation.</mat-hint>
          </mat-form-field>
        }
        @if (failure(); as failure) {
          <ix-problem-message [failure]="failure"
            >The credentials could not be saved.</ix-problem-message
          >
        }
        <div class="ix-actions">
          <button matButton="filled" type="submit" [disabled]="busy() || !anyValue()">
            @if (askCode()) {
              Confirm and save credentials
            } @else {
              Save credentials
            }
          </button>
        </div>
      </form>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdapterCredentialsForm {
  private readonly api = inject(AdaptersApi);
  private readonly auth = inject(AuthService);

  readonly packageId = input.required<string>();
  readonly adapterId = input.required<string>();
  readonly environment = input.required<string>();
  /** JSON pointers of the type's secret fields. */
  readonly pointers = input.required<readonly string[]>();
  readonly effective = input<EffectiveConfigDto | null>(null);
  readonly saved = output<EffectiveConfigDto>();

  readonly set = computed(() => setSecrets(this.effective()?.configuration));
  readonly values = signal<Partial<Record<string, string>>>({});
  readonly anyValue = computed(() => Object.values(this.values()).some((v) => v !== ''));
  readonly askCode = signal(false);
  readonly code = signal('');
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);

  labelFor(pointer: string): string {
    return pointer.split('/').filter(Boolean).map(labelOf).join(' › ');
  }

  setValue(pointer: string, value: string): void {
    this.values.update((values) => ({ ...values, [pointer]: value }));
  }

  submit(event: Event): void {
    event.preventDefault();
    if (!this.busy() && this.anyValue()) void this.save();
  }

  private async save(): Promise<void> {
    this.busy.set(true);
    this.failure.set(null);
    if (this.askCode()) {
      const confirmed = await this.api.stepUp(this.code().trim());
      if (!confirmed.ok) {
        this.busy.set(false);
        this.failure.set(confirmed.failure);
        return;
      }
      this.auth.mfaConfirmed(confirmed.data.accessToken);
      this.askCode.set(false);
      this.code.set('');
    }
    const secrets = Object.fromEntries(
      Object.entries(this.values()).filter((e): e is [string, string] => !!e[1]),
    );
    const outcome = await this.api.setCredentials(
      this.packageId(),
      this.adapterId(),
      this.environment(),
      secrets,
    );
    this.busy.set(false);
    if (outcome.ok) {
      this.values.set({});
      this.saved.emit(outcome.data);
    } else if (outcome.failure.status === 401 && outcome.failure.problem?.code === 'mfa_required') {
      this.askCode.set(true);
    } else this.failure.set(outcome.failure);
  }
}

import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  Injector,
  signal,
  viewChild,
  type ElementRef,
  type Signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { type MfaEnrolmentDto } from '@integrixs/api-client';

import { AccountApi } from '../../api/account-api.service';
import { type ApiFailure } from '../../api/api-result';
import { AuthService } from '../../auth/auth.service';
import { safeReturnUrl } from '../../auth/return-url';
import { InvalidWhen } from '../../ui/invalid-when';
import { ProblemMessage } from '../../ui/problem-message';

type Step = 'password' | 'scan' | 'codes';
/** A `viewChild` query of an element to focus. */
type ElementQuery = Signal<ElementRef<HTMLElement> | undefined>;

/**
 * MFA enrolment for the signed-in user (administrators are sent here until they have it):
 * confirm the password, add the secret to an authenticator app (QR code or the key typed in),
 * confirm with a first code, then save the ten recovery codes, which are shown only once.
 */
@Component({
  selector: 'ix-mfa-enrolment-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    InvalidWhen,
    ProblemMessage,
  ],
  templateUrl: './mfa-enrolment-page.html',
  styleUrl: './mfa-enrolment-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MfaEnrolmentPage {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);

  readonly user = this.auth.user;
  readonly returnUrl = safeReturnUrl(
    inject(ActivatedRoute).snapshot.queryParamMap.get('returnUrl'),
  );
  readonly step = signal<Step>('password');
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly enrolment = signal<MfaEnrolmentDto | null>(null);
  /** The secret in groups of four, easier to type into an app. */
  readonly secretGroups = computed(
    () =>
      this.enrolment()
        ?.secret.match(/.{1,4}/g)
        ?.join(' ') ?? '',
  );
  readonly recoveryCodes = signal<string[]>([]);
  readonly saved = signal(false);
  readonly copied = signal<'yes' | 'failed' | null>(null);
  /** MFA was already on when the page opened: nothing to set up. */
  readonly alreadyOn = computed(() => this.step() === 'password' && !!this.user()?.mfaEnabled);

  private readonly heading = viewChild<ElementRef<HTMLElement>>('stepHeading');
  private readonly passwordInput = viewChild<ElementRef<HTMLInputElement>>('passwordInput');
  private readonly codeInput = viewChild<ElementRef<HTMLInputElement>>('codeInput');

  constructor() {
    this.focusSoon(this.passwordInput);
  }

  begin(event: Event): void {
    event.preventDefault();
    const password = this.passwordInput()?.nativeElement.value ?? '';
    if (this.busy() || password === '') {
      this.focusSoon(this.passwordInput);
      return;
    }
    void this.call(
      () => this.api.beginMfaEnrolment(password),
      (enrolment) => {
        this.enrolment.set(enrolment);
        this.step.set('scan');
        this.focusSoon(this.heading);
      },
      this.passwordInput,
    );
  }

  confirm(event: Event): void {
    event.preventDefault();
    const code = this.codeInput()?.nativeElement.value.trim() ?? '';
    if (this.busy() || code === '') {
      this.focusSoon(this.codeInput);
      return;
    }
    void this.call(
      () => this.api.confirmMfaEnrolment(code),
      async (confirmed) => {
        this.recoveryCodes.set(confirmed.recoveryCodes);
        this.enrolment.set(null); // the secret is not needed on screen any longer
        this.step.set('codes');
        this.focusSoon(this.heading);
        this.auth.mfaEnrolled(confirmed.accessToken, null);
        const me = await this.api.me();
        if (me.ok) this.auth.mfaEnrolled(null, me.data);
      },
      this.codeInput,
    );
  }

  copyCodes(): void {
    const text = this.recoveryCodes().join('\n');
    navigator.clipboard.writeText(text).then(
      () => this.copied.set('yes'),
      () => this.copied.set('failed'),
    );
  }

  finish(): void {
    if (!this.saved()) return;
    this.recoveryCodes.set([]);
    void this.router.navigateByUrl(this.returnUrl);
  }

  private async call<T>(
    request: () => Promise<{ ok: true; data: T } | { ok: false; failure: ApiFailure }>,
    done: (data: T) => void | Promise<void>,
    retryField: ElementQuery,
  ): Promise<void> {
    this.busy.set(true);
    this.failure.set(null);
    const result = await request();
    this.busy.set(false);
    if (result.ok) {
      await done(result.data);
      return;
    }
    this.failure.set(result.failure);
    this.focusSoon(retryField, true);
  }

  private focusSoon(target: ElementQuery, select = false): void {
    afterNextRender(
      () => {
        const element = target()?.nativeElement;
        element?.focus();
        if (select && element instanceof HTMLInputElement) element.select();
      },
      { injector: this.injector },
    );
  }
}

import { NgTemplateOutlet } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  Injector,
  signal,
  viewChild,
  type ElementRef,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router } from '@angular/router';

import { type MeDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { AuthService, type SignInStep } from '../../auth/auth.service';
import { safeReturnUrl } from '../../auth/return-url';
import { SessionStore } from '../../auth/session.store';
import { InvalidWhen } from '../../ui/invalid-when';

type Step = 'credentials' | 'code';
type Field = 'username' | 'password' | 'code';

/**
 * Sign-in: username and password, then (for accounts with MFA) a TOTP or recovery code. Goes on
 * to `returnUrl` (a console path), or to MFA enrolment when the account still needs it.
 */
@Component({
  selector: 'ix-sign-in-page',
  imports: [NgTemplateOutlet, MatButtonModule, MatFormFieldModule, MatInputModule, InvalidWhen],
  templateUrl: './sign-in-page.html',
  styleUrl: './sign-in-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);

  /** How the previous session ended (signed out, expired), said above the form. */
  readonly ended = inject(SessionStore).ended;
  readonly step = signal<Step>('credentials');
  readonly username = signal('');
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  /** A field left empty on submit. */
  readonly missing = signal<Field | null>(null);
  /** After a 429: sign-in is refused until this time (ms since epoch). */
  private readonly blockedUntil = signal(0);
  readonly blocked = computed(() => this.blockedUntil() > 0);
  /** Which field the error is about (described by it, marked invalid). */
  readonly invalid = computed<Field | null>(() => {
    const missing = this.missing();
    if (missing) return missing;
    const failure = this.failure();
    if (!failure || failure.status === 429 || failure.status === 0) return null;
    return this.step() === 'code' ? 'code' : 'password';
  });

  private readonly usernameInput = viewChild<ElementRef<HTMLInputElement>>('usernameInput');
  private readonly passwordInput = viewChild<ElementRef<HTMLInputElement>>('passwordInput');
  private readonly codeInput = viewChild<ElementRef<HTMLInputElement>>('codeInput');
  private mfaToken: string | null = null;
  private unblockTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.focusSoon('username');
    inject(DestroyRef).onDestroy(() => clearTimeout(this.unblockTimer));
  }

  submitCredentials(event: Event): void {
    event.preventDefault();
    const username = this.usernameInput()?.nativeElement.value.trim() ?? '';
    const password = this.passwordInput()?.nativeElement.value ?? '';
    this.username.set(username);
    if (!this.ready(username === '' ? 'username' : password === '' ? 'password' : null)) return;
    void this.run(() => this.auth.signIn(username, password));
  }

  submitCode(event: Event): void {
    event.preventDefault();
    const code = this.codeInput()?.nativeElement.value.trim() ?? '';
    const mfaToken = this.mfaToken;
    if (!mfaToken || !this.ready(code === '' ? 'code' : null)) return;
    void this.run(() => this.auth.verifyMfa(mfaToken, code));
  }

  /** Back from the code step to username and password (another account, or a new challenge). */
  startOver(): void {
    this.mfaToken = null;
    this.failure.set(null);
    this.missing.set(null);
    this.step.set('credentials');
    this.focusSoon('username');
  }

  private ready(missing: Field | null): boolean {
    if (this.busy() || this.blocked()) return false;
    this.missing.set(missing);
    if (missing) {
      this.failure.set(null);
      this.focusSoon(missing);
      return false;
    }
    return true;
  }

  private async run(attempt: () => Promise<SignInStep>): Promise<void> {
    this.busy.set(true);
    this.failure.set(null);
    const outcome = await attempt();
    this.busy.set(false);
    switch (outcome.kind) {
      case 'signed-in':
        await this.proceed(outcome.user);
        return;
      case 'mfa-required':
        this.mfaToken = outcome.mfaToken;
        this.step.set('code');
        this.focusSoon('code');
        return;
      case 'failed':
        this.failed(outcome.failure);
    }
  }

  private failed(failure: ApiFailure): void {
    if (this.step() === 'code' && failure.status === 401) {
      // The challenge expired or the account changed: the password step comes first again.
      this.mfaToken = null;
      this.step.set('credentials');
    }
    this.failure.set(failure);
    if (failure.status === 429) this.block(failure.retryAfter ?? 30);
    this.focusSoon(this.step() === 'code' ? 'code' : 'password', true);
  }

  /** Refuses new attempts for the Retry-After delay (the API would refuse them too). */
  private block(seconds: number): void {
    clearTimeout(this.unblockTimer);
    this.blockedUntil.set(Date.now() + seconds * 1000);
    this.unblockTimer = setTimeout(() => this.blockedUntil.set(0), seconds * 1000);
  }

  private async proceed(user: MeDto): Promise<void> {
    const returnUrl = safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl'));
    if (user.mfaEnrollmentRequired) {
      await this.router.navigate(['/account/mfa'], { queryParams: { returnUrl } });
    } else {
      await this.router.navigateByUrl(returnUrl);
    }
  }

  /** Focuses a field once the view shows it (after a step change or an error). */
  private focusSoon(field: Field, select = false): void {
    afterNextRender(
      () => {
        const input = {
          username: this.usernameInput,
          password: this.passwordInput,
          code: this.codeInput,
        }[field]()?.nativeElement;
        input?.focus();
        if (select) input?.select();
      },
      { injector: this.injector },
    );
  }
}

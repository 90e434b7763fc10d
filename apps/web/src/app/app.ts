import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
// Single components rather than their NgModules, and no Material list in the shell: the list
// entry point brings the selection list and with it @angular/forms (~65 kB) into the initial
// bundle, for one navigation link.
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatSidenav, MatSidenavContainer, MatSidenavContent } from '@angular/material/sidenav';
import { MatToolbar } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';

import { AuthService } from './auth/auth.service';
import { SessionStore } from './auth/session.store';
import { RoleLabel } from './ui/role-label';

/** From this width on, the navigation stays open beside the page; below it, it slides over. */
const WIDE = '(min-width: 960px)';

/**
 * The console shell: a toolbar with the product, the signed-in user (name, role) and sign-out;
 * the side navigation (for signed-in users who may use the console: not before MFA enrolment);
 * then the page.
 */
@Component({
  selector: 'ix-root',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatButton,
    MatIconButton,
    MatSidenav,
    MatSidenavContainer,
    MatSidenavContent,
    MatToolbar,
    RoleLabel,
  ],
  templateUrl: './app.html',
  styleUrl: './app.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly auth = inject(AuthService);
  private readonly session = inject(SessionStore);

  readonly user = this.auth.user;
  readonly signingOut = signal(false);
  /** The side navigation shows for a user who may use the console (MFA enrolled if required). */
  readonly navigable = computed(() => {
    const user = this.user();
    return user !== null && !user.mfaEnrollmentRequired;
  });
  /** Administration shows for users whose role may read users (the matrix in libs/domain). */
  readonly administrator = computed(() => this.user() !== null && this.session.can('user:read'));
  readonly wide = toSignal(
    inject(BreakpointObserver)
      .observe(WIDE)
      .pipe(map((state) => state.matches)),
    { initialValue: true },
  );
  /** On a narrow screen: the navigation is open over the page. */
  readonly navOpen = signal(false);

  toggleNav(): void {
    this.navOpen.update((open) => !open);
  }

  /** A link in the navigation was followed: on a narrow screen, the page comes back. */
  navigated(): void {
    if (!this.wide()) this.navOpen.set(false);
  }

  signOut(): void {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    void this.auth.signOut().finally(() => this.signingOut.set(false));
  }
}

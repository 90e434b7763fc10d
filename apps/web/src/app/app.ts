import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { AuthService } from './auth/auth.service';
import { RoleLabel } from './ui/role-label';

/**
 * The console shell: top bar with the product name, the main navigation and the signed-in user
 * (name, role, sign-out), then the page.
 */
@Component({
  selector: 'ix-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, RoleLabel],
  templateUrl: './app.html',
  styleUrl: './app.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly auth = inject(AuthService);

  readonly user = this.auth.user;
  readonly signingOut = signal(false);

  signOut(): void {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    void this.auth.signOut().finally(() => this.signingOut.set(false));
  }
}

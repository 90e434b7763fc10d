import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { type Permission } from '@integrixs/domain';

import { SessionStore } from '../../auth/session.store';

interface AdminTab {
  readonly path: string;
  readonly label: string;
  readonly permission: Permission;
}

const TABS: readonly AdminTab[] = [
  { path: 'users', label: 'Users', permission: 'user:read' },
  { path: 'tokens', label: 'API tokens', permission: 'token:manage' },
  { path: 'environments', label: 'Environments', permission: 'environment:read' },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
];

/** The administration area: the tabs the user's role may use, each a routed page. */
@Component({
  selector: 'ix-admin-page',
  imports: [MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <h1>
      @if (administrator()) {
        Administration
      } @else {
        Settings
      }
    </h1>
    <nav mat-tab-nav-bar aria-label="Administration sections" [tabPanel]="panel">
      @for (tab of tabs(); track tab.path) {
        <a
          mat-tab-link
          [routerLink]="['/admin', tab.path]"
          routerLinkActive
          #active="routerLinkActive"
          [active]="active.isActive"
          >{{ tab.label }}</a
        >
      }
    </nav>
    <mat-tab-nav-panel #panel>
      <router-outlet />
    </mat-tab-nav-panel>
  `,
  styles: `
    :host {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
    }
    h1 {
      margin: 0;
    }
    mat-tab-nav-panel {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminPage {
  private readonly session = inject(SessionStore);

  readonly administrator = computed(() => this.session.can('user:read'));
  readonly tabs = computed(() => {
    this.session.user(); // the tabs follow the signed-in user
    return TABS.filter((tab) => this.session.can(tab.permission));
  });
}

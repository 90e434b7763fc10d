import { type Route } from '@angular/router';

import { adminHomeGuard, mayGuard } from './admin.guards';

/**
 * The administration area at `/admin`: one routed tab each for users, API tokens (every user's
 * own), environments and the audit log. Tabs a role may not use are hidden and guarded.
 */
export const adminRoutes: Route[] = [
  {
    path: '',
    loadComponent: () => import('./admin-page').then((m) => m.AdminPage),
    children: [
      { path: '', pathMatch: 'full', canActivate: [adminHomeGuard], children: [] },
      {
        path: 'users',
        title: 'Users · Integrixs',
        canActivate: [mayGuard('user:read')],
        loadComponent: () => import('./users-tab').then((m) => m.UsersTab),
      },
      {
        path: 'tokens',
        title: 'API tokens · Integrixs',
        loadComponent: () => import('./tokens-tab').then((m) => m.TokensTab),
      },
      {
        path: 'environments',
        title: 'Environments · Integrixs',
        canActivate: [mayGuard('environment:read')],
        loadComponent: () => import('./environments-tab').then((m) => m.EnvironmentsTab),
      },
      {
        path: 'audit',
        title: 'Audit log · Integrixs',
        canActivate: [mayGuard('audit:read')],
        loadComponent: () => import('./audit-log-tab').then((m) => m.AuditLogTab),
      },
    ],
  },
];

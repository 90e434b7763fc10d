import { type Route } from '@angular/router';

import { accountGuard, signedInGuard, signedOutGuard } from './auth/auth.guards';

/**
 * One lazy chunk per page; each page folder owns its routes (`pages/<page>/<page>.routes.ts`).
 * Every page but sign-in and not-found needs a signed-in user (auth/auth.guards.ts).
 */
export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'packages' },
  {
    path: 'sign-in',
    canActivate: [signedOutGuard],
    loadChildren: () => import('./pages/sign-in/sign-in.routes').then((m) => m.signInRoutes),
  },
  {
    path: 'account/mfa',
    canActivate: [accountGuard],
    loadChildren: () =>
      import('./pages/mfa-enrolment/mfa-enrolment.routes').then((m) => m.mfaEnrolmentRoutes),
  },
  {
    path: 'packages',
    canActivate: [signedInGuard],
    loadChildren: () => import('./pages/packages/packages.routes').then((m) => m.packagesRoutes),
  },
  {
    path: 'packages/:id/schemas/:schemaId',
    canActivate: [signedInGuard],
    loadChildren: () =>
      import('./pages/schema-detail/schema-detail.routes').then((m) => m.schemaDetailRoutes),
  },
  {
    path: 'packages/:id/adapters/:adapterId',
    canActivate: [signedInGuard],
    loadChildren: () =>
      import('./pages/adapter-detail/adapter-detail.routes').then((m) => m.adapterDetailRoutes),
  },
  {
    path: 'packages/:id/mappings/:mappingId',
    canActivate: [signedInGuard],
    loadChildren: () =>
      import('./pages/mapping-editor/mapping-editor.routes').then((m) => m.mappingEditorRoutes),
  },
  {
    path: 'packages/:id/flows/:flowId/design',
    canActivate: [signedInGuard],
    loadChildren: () =>
      import('./pages/flow-designer/flow-designer.routes').then((m) => m.flowDesignerRoutes),
  },
  {
    path: 'packages/:id/flows/:flowId',
    canActivate: [signedInGuard],
    loadChildren: () =>
      import('./pages/flow-detail/flow-detail.routes').then((m) => m.flowDetailRoutes),
  },
  {
    path: 'packages/:id',
    canActivate: [signedInGuard],
    loadChildren: () =>
      import('./pages/package-workspace/package-workspace.routes').then(
        (m) => m.packageWorkspaceRoutes,
      ),
  },
  {
    path: 'admin',
    canActivate: [signedInGuard],
    loadChildren: () => import('./pages/admin/admin.routes').then((m) => m.adminRoutes),
  },
  {
    path: '**',
    loadChildren: () => import('./pages/not-found/not-found.routes').then((m) => m.notFoundRoutes),
  },
];

import { type Route } from '@angular/router';

/**
 * The package workspace at `/packages/:id`: the package's header and one routed tab per kind of
 * content, each with its own deep link (`/packages/:id/schemas`, `/packages/:id/members`, …).
 */
export const packageWorkspaceRoutes: Route[] = [
  {
    path: '',
    loadComponent: () => import('./package-workspace-page').then((m) => m.PackageWorkspacePage),
    children: [
      {
        path: '',
        title: 'Package · Integrixs',
        loadComponent: () => import('./overview-tab').then((m) => m.OverviewTab),
      },
      {
        path: 'schemas',
        title: 'Schemas · Integrixs',
        loadComponent: () => import('./schemas-tab').then((m) => m.SchemasTab),
      },
      {
        path: 'adapters',
        title: 'Adapters · Integrixs',
        loadComponent: () => import('./adapters-tab').then((m) => m.AdaptersTab),
      },
      {
        path: 'mappings',
        title: 'Mappings · Integrixs',
        loadComponent: () => import('./mappings-tab').then((m) => m.MappingsTab),
      },
      {
        path: 'flows',
        title: 'Flows · Integrixs',
        loadComponent: () => import('./flows-tab').then((m) => m.FlowsTab),
      },
      {
        path: 'dependencies',
        title: 'Dependencies · Integrixs',
        loadComponent: () => import('./dependencies-tab').then((m) => m.DependenciesTab),
      },
      {
        path: 'runtime',
        loadChildren: () =>
          import('../runtime-monitor/runtime-monitor.routes').then((m) => m.runtimeMonitorRoutes),
      },
      {
        path: 'members',
        title: 'Members · Integrixs',
        loadComponent: () => import('./members-tab').then((m) => m.MembersTab),
      },
      {
        path: 'audit',
        title: 'Audit · Integrixs',
        loadComponent: () => import('./audit-tab').then((m) => m.AuditTab),
      },
    ],
  },
];

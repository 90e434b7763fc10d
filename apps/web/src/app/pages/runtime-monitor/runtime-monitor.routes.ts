import { type Route } from '@angular/router';

/**
 * The runtime monitor, a tab of the package workspace at `/packages/:id/runtime`: the executions,
 * dead letters and flow health (`?view=&flowId=&environment=&status=…`), and one execution's trace
 * at `/packages/:id/runtime/executions/:messageId`.
 */
export const runtimeMonitorRoutes: Route[] = [
  {
    path: '',
    title: 'Runtime · Integrixs',
    loadComponent: () => import('./runtime-monitor-page').then((m) => m.RuntimeMonitorPage),
  },
  {
    path: 'executions/:messageId',
    title: 'Execution · Integrixs',
    loadComponent: () => import('./execution-page').then((m) => m.ExecutionPage),
  },
];

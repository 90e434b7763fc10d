import { isUuid } from '@integrixs/domain';
import {
  EXECUTIONS_CHANNEL,
  parseExecutionNotification,
  type ExecutionChange,
} from '@integrixs/runtime';

import { DEPLOYMENTS_CHANNEL, type DeploymentNotification } from '../deployment/deployment-events';
import { ACCESS_CHANNEL } from '../identity/access-cache';

/** Asset changes, NOTIFYed at commit by the triggers of migration 1765000400000. */
export const ASSETS_CHANNEL = 'integrixs_assets';
/** Package changes, NOTIFYed at commit by the triggers of migration 1765000400000. */
export const PACKAGES_CHANNEL = 'integrixs_packages';

/** The WebSocket path (outside Nest's global prefix, which does not apply to gateways). */
export const EVENTS_PATH = '/api/events';
/** The subprotocol the console asks for; `integrixs.bearer.<token>` may ride along with it. */
export const EVENTS_PROTOCOL = 'integrixs.v1';
export const BEARER_PROTOCOL_PREFIX = 'integrixs.bearer.';

/** Close codes (4000–4999 are the application's). */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_TOKEN_EXPIRED = 4001;

export type AssetOp = 'created' | 'updated' | 'deleted' | 'restored' | 'status';
export type PackageOp = 'created' | 'updated' | 'deleted' | 'restored';

/**
 * What a client receives (JSON text frames), always with the connection's `seq`: 1, 2, 3 … with
 * no gap unless the server dropped messages for this connection (a slow client, an access check
 * that failed): a gap, like a reconnect or a `resync`, means "refetch what you show".
 */
export type LiveEvent =
  | { type: 'ready'; userId: string; heartbeatMs: number }
  | { type: 'resync' }
  | {
      type: `asset.${AssetOp}`;
      packageId: string;
      assetId: string;
      assetType: string;
      version: number;
      currentVersion: number;
      status: string;
    }
  | { type: `package.${PackageOp}`; packageId: string; version: number }
  | {
      type: 'deployment.changed';
      event: DeploymentNotification['event'];
      packageId: string;
      deploymentId: string;
      flowId: string;
      environmentId: string;
    }
  | {
      /** A flow's messages changed in an environment (coalesced: at most about one a second). */
      type: 'execution.changed';
      packageId: string;
      flowId: string;
      environmentId: string;
      statuses: ExecutionChange[];
      counts: Partial<Record<ExecutionChange, number>>;
    }
  | { type: 'membership.changed'; packageId: string };

/** An event bound for the readers of one package, or (membership) for one user only. */
export interface RoutedEvent {
  event: LiveEvent & { packageId: string };
  /** Only this user (membership changes); otherwise everyone who may read the package. */
  userId?: string;
}

const ASSET_OPS = new Set<string>(['created', 'updated', 'deleted', 'restored', 'status']);
const PACKAGE_OPS = new Set<string>(['created', 'updated', 'deleted', 'restored']);

function parse(payload: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A notification of one of the channels as the event clients receive, or null when malformed. */
export function routedEventOf(channel: string, payload: string): RoutedEvent | null {
  if (channel === ACCESS_CHANNEL) {
    const [kind, packageId, userId] = payload.split(':');
    if (kind !== 'member' || !isUuid(packageId) || !isUuid(userId)) return null;
    return { event: { type: 'membership.changed', packageId }, userId };
  }
  if (channel === EXECUTIONS_CHANNEL) {
    const n = parseExecutionNotification(payload);
    return n ? { event: { type: 'execution.changed', ...n } } : null;
  }
  const body = parse(payload);
  if (!body || !isUuid(body['packageId'])) return null;
  const packageId = body['packageId'];
  if (channel === ASSETS_CHANNEL) {
    const op = String(body['op']);
    if (!ASSET_OPS.has(op) || !isUuid(body['assetId'])) return null;
    return {
      event: {
        type: `asset.${op as AssetOp}`,
        packageId,
        assetId: body['assetId'],
        assetType: String(body['assetType']),
        version: Number(body['version']),
        currentVersion: Number(body['currentVersion']),
        status: String(body['status']),
      },
    };
  }
  if (channel === PACKAGES_CHANNEL) {
    const op = String(body['op']);
    if (!PACKAGE_OPS.has(op)) return null;
    return {
      event: { type: `package.${op as PackageOp}`, packageId, version: Number(body['version']) },
    };
  }
  if (channel === DEPLOYMENTS_CHANNEL) {
    const n = body as unknown as DeploymentNotification;
    if (!isUuid(n.deploymentId) || !isUuid(n.flowId) || !isUuid(n.environmentId)) return null;
    return {
      event: {
        type: 'deployment.changed',
        event: n.event,
        packageId,
        deploymentId: n.deploymentId,
        flowId: n.flowId,
        environmentId: n.environmentId,
      },
    };
  }
  return null;
}

/** The channels the gateway LISTENs to (through the one DatabaseNotifications connection). */
export const EVENT_CHANNELS = [
  ASSETS_CHANNEL,
  PACKAGES_CHANNEL,
  DEPLOYMENTS_CHANNEL,
  EXECUTIONS_CHANNEL,
  ACCESS_CHANNEL,
] as const;

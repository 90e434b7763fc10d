import { type EntityManager } from 'typeorm';

/** The checks of the readiness gate, in the order they run and are listed. */
export const READINESS_ITEM_KEYS = [
  'graph',
  'dependencies',
  'pinned-versions',
  'schema-compatibility',
  'adapter-configuration',
  'connection-test',
  'mapping',
  'deploy-permission',
] as const;
export type ReadinessItemKey = (typeof READINESS_ITEM_KEYS)[number];

export const READINESS_STATUSES = ['pass', 'fail', 'warn', 'skipped'] as const;
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];

/** The asset an item is about: named only when the caller can read it. */
export interface ReadinessAsset {
  id: string;
  packageId: string;
  type: string;
  name: string;
}

/** One line of the checklist. Only `fail` blocks; `warn` and `skipped` are said, not blocking. */
export interface ReadinessItem {
  key: ReadinessItemKey;
  status: ReadinessStatus;
  explanation: string;
  fixHint: string | null;
  asset?: ReadinessAsset;
  /** The flow node the item is about, when it is about one. */
  nodeId?: string;
}

/** The whole answer: ready when no item failed. */
export interface ReadinessResult {
  ready: boolean;
  flowId: string;
  /** The flow version checked. */
  version: number;
  environment: string;
  checkedAt: string;
  items: ReadinessItem[];
}

export interface ReadinessOptions {
  /** Run the adapters' connection tests now (with a timeout) instead of reading recent results. */
  live?: boolean;
  /** Hears each item as soon as it is known (streamed answers). */
  onItem?: (item: ReadinessItem) => void;
  /**
   * The READY transition: the caller is marking the flow ready, not deploying it, so the
   * `deploy-permission` item is skipped (deploying checks it again).
   */
  purpose?: 'check' | 'ready' | 'deploy';
  /** Read inside this transaction (the READY transition holds the flow's row lock). */
  manager?: EntityManager;
  /**
   * A deployment's lock file (asset id → version): adapters are checked with their pinned
   * configuration and mappings run their samples at their pinned version against the pinned
   * schemas — what a partial rollback or a promotion would really run.
   */
  pins?: ReadonlyMap<string, number>;
  /**
   * Mapping items already computed in this run, by mapping id: they do not depend on the
   * environment, so a gate trying several environments runs each mapping's samples once.
   */
  mappingItems?: Map<string, Promise<ReadinessItem>>;
}

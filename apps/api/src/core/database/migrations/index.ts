import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { AssetCountsAndPrefixSearch1764100000000 } from './1764100000000-asset-counts-and-prefix-search';
import { Identity1764200000000 } from './1764200000000-identity';
import { AccessNotifications1764300000000 } from './1764300000000-access-notifications';
import { SchemaLibrary1764400000000 } from './1764400000000-schema-library';
import { SchemaNotifications1764500000000 } from './1764500000000-schema-notifications';
import { CanonicalUsernames1764600000000 } from './1764600000000-canonical-usernames';
import { SessionRevocations1764601000000 } from './1764601000000-session-revocations';
import { UsedMfaChallenges1764602000000 } from './1764602000000-used-mfa-challenges';
import { SchemaImportPins1764610000000 } from './1764610000000-schema-import-pins';
import { PackageNamesVisibleUnique1764620000000 } from './1764620000000-package-names-visible-unique';
import { Retention1764621000000 } from './1764621000000-retention';
import { DeletionBatches1764700000000 } from './1764700000000-deletion-batches';
import { DependencyPackages1764701000000 } from './1764701000000-dependency-packages';
import { AuditLogFilterIndexes1764702000000 } from './1764702000000-audit-log-filter-indexes';
import { AssetDeploymentStateRemoval1764810000000 } from './1764810000000-asset-deployment-state-removal';
import { AdapterEnvironments1764820000000 } from './1764820000000-adapter-environments';
import { AssetSearchTerms1764830000000 } from './1764830000000-asset-search-terms';
import { MappingSamples1764860000000 } from './1764860000000-mapping-samples';
import { FlowProblems1764870000000 } from './1764870000000-flow-problems';
import { FlowDeployments1764900000000 } from './1764900000000-flow-deployments';
import { Runtime1765000000000 } from './1765000000000-runtime';
import { RuntimeWorkers1765000100000 } from './1765000100000-runtime-workers';
import { RuntimeApiIndexes1765000200000 } from './1765000200000-runtime-api-indexes';
import { RuntimeMonitoring1765000300000 } from './1765000300000-runtime-monitoring';
import { LiveEventNotifications1765000400000 } from './1765000400000-live-event-notifications';
import { ApiTokenRevocations1765000500000 } from './1765000500000-api-token-revocations';
import { RuntimeJobOutbox1765000600000 } from './1765000600000-runtime-job-outbox';
import { RuntimePayloadCompression1765000700000 } from './1765000700000-runtime-payload-compression';
import { RuntimeRateLimits1765000800000 } from './1765000800000-runtime-rate-limits';
import { RuntimeRateSlots1765000900000 } from './1765000900000-runtime-rate-slots';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  AssetCountsAndPrefixSearch1764100000000,
  Identity1764200000000,
  AccessNotifications1764300000000,
  SchemaLibrary1764400000000,
  SchemaNotifications1764500000000,
  CanonicalUsernames1764600000000,
  SessionRevocations1764601000000,
  UsedMfaChallenges1764602000000,
  SchemaImportPins1764610000000,
  PackageNamesVisibleUnique1764620000000,
  Retention1764621000000,
  DeletionBatches1764700000000,
  DependencyPackages1764701000000,
  AuditLogFilterIndexes1764702000000,
  AssetDeploymentStateRemoval1764810000000,
  AdapterEnvironments1764820000000,
  AssetSearchTerms1764830000000,
  MappingSamples1764860000000,
  FlowProblems1764870000000,
  FlowDeployments1764900000000,
  Runtime1765000000000,
  RuntimeWorkers1765000100000,
  RuntimeApiIndexes1765000200000,
  RuntimeMonitoring1765000300000,
  LiveEventNotifications1765000400000,
  ApiTokenRevocations1765000500000,
  RuntimeJobOutbox1765000600000,
  RuntimePayloadCompression1765000700000,
  RuntimeRateLimits1765000800000,
  RuntimeRateSlots1765000900000,
];

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type FlowContent } from '@integrixs/domain';

import { AdapterEnvironmentsService } from '../adapter/adapter-environments.service';
import { AssetService } from '../asset/asset.service';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { type EnvironmentDto } from '../environment/environment.dto';
import { EnvironmentService } from '../environment/environment.service';
import { visibilityOf, type Principal } from '../identity/principal';
import { MappingTester } from '../mapping/mapping-tester';
import { MappingService } from '../mapping/mapping.service';
import { flowContentOf } from './flow-content';
import { FlowValidator } from './flow-validator';
import { configurationItem, connectionItem } from './readiness-adapter-items';
import { nodesWithAssets, readableAssets, type KnownAsset } from './readiness-assets';
import { graphItems, UNUSABLE } from './readiness-graph-items';
import { mappingItem } from './readiness-mapping-items';
import { deployPermissionItem, mayInPackage } from './readiness-permission';
import { type ReadinessItem, type ReadinessOptions, type ReadinessResult } from './readiness-types';

/** The flow a readiness check is about (its content at the version checked). */
export interface ReadinessFlow {
  id: string;
  packageId: string;
  version: number;
  content: FlowContent;
}

/**
 * The readiness gate (issue 12): the checklist a flow must pass in an environment before it can
 * be deployed there — graph valid, dependencies resolved and live, pinned versions exist, schemas
 * fit along the flow, every adapter configured for the environment and its connection test
 * passing, every mapping complete with all sample tests passing, and the caller allowed to deploy
 * there. Each line names the asset to fix when the caller can read it (never otherwise).
 *
 * One checker for the readiness route, the READY transition and deployments:
 * `check(packageId, flowId, environment, principal, { live })` is the stable entry point.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly assets: AssetService,
    private readonly environments: EnvironmentService,
    private readonly validator: FlowValidator,
    private readonly adapters: AdapterEnvironmentsService,
    private readonly mappings: MappingService,
    private readonly tester: MappingTester,
  ) {}

  /**
   * The checklist of the flow's current version in `environment` (404 for a flow outside the
   * package or an unknown environment). `ready` is true when no item failed.
   */
  async check(
    packageId: string,
    flowId: string,
    environment: string,
    principal: Principal,
    options: ReadinessOptions = {},
  ): Promise<ReadinessResult> {
    const flow = await this.flow(packageId, flowId);
    const env = await this.environments.byCode(environment);
    return this.evaluate(flow, env, principal, options);
  }

  /** The flow's current version (404 outside the package). */
  async flow(packageId: string, flowId: string): Promise<ReadinessFlow> {
    const flow = await this.assets.get(packageId, 'FLOW', flowId);
    return {
      id: flowId,
      packageId,
      version: flow.currentVersion,
      content: flowContentOf(flow.content),
    };
  }

  /** The environment with `code` (404 naming it otherwise). */
  environment(code: string, m: EntityManager = this.db.manager): Promise<EnvironmentDto> {
    return this.environments.byCode(code, m);
  }

  /** The environments in their configured order (the READY transition tries each). */
  environmentsInOrder(): Promise<EnvironmentDto[]> {
    return this.environments.list();
  }

  /** The checklist of a flow already loaded (the READY transition, inside its transaction). */
  async evaluate(
    flow: ReadinessFlow,
    env: EnvironmentDto,
    principal: Principal,
    options: ReadinessOptions = {},
  ): Promise<ReadinessResult> {
    const m: EntityManager = options.manager ?? this.db.manager;
    const visibility = visibilityOf(principal);
    const now = new Date();
    const items: ReadinessItem[] = [];
    const add = (item: ReadinessItem) => {
      items.push(item);
      options.onItem?.(item);
    };
    const { problems } = await this.validator.validate(m, flow.content, visibility);
    for (const item of await graphItems(m, flow.id, flow.content, problems, visibility)) add(item);

    // The assets whose references are usable (readable, live, the right type and version).
    const unusable = new Set(
      problems.filter((p) => UNUSABLE.has(p.code) && p.nodeId).map((p) => p.nodeId),
    );
    const used = nodesWithAssets(flow.content).filter((n) => !unusable.has(n.node.id));
    const known = await readableAssets(
      m,
      used.map((n) => n.assetId),
      visibility,
    );
    const ofType = (type: string) => {
      const seen = new Map<string, KnownAsset>();
      for (const { assetId } of used) {
        const asset = known.get(assetId);
        if (asset?.type === type) seen.set(asset.id, asset);
      }
      return [...seen.values()];
    };

    const adapters = ofType('ADAPTER');
    const testable = new Set<string>();
    if (options.live)
      for (const pkg of new Set(adapters.map((a) => a.packageId)))
        if (await mayInPackage(m, principal, pkg, 'adapter:configure')) testable.add(pkg);
    const configurations = [];
    for (const adapter of adapters) {
      const configuration = await configurationItem(
        this.adapters,
        adapter,
        env.code,
        options.pins?.get(adapter.id),
      );
      add(configuration.item);
      configurations.push({ adapter, configuration });
    }
    for (const { adapter, configuration } of configurations)
      add(
        await connectionItem(this.adapters, adapter, configuration, {
          environment: env.code,
          live: options.live === true,
          mayTest: (a) => testable.has(a.packageId),
          maxAgeMinutes: this.config.readinessConnectionTestMaxAgeMinutes,
          timeoutSeconds: this.config.readinessConnectionTestTimeoutSeconds,
          now,
        }),
      );
    if (adapters.length === 0)
      add(none('adapter-configuration', 'The flow uses no adapter it can check.'));

    const mappings = ofType('MAPPING');
    for (const mapping of mappings) {
      const memo = options.mappingItems;
      let item = memo?.get(mapping.id);
      if (!item) {
        item = mappingItem(this.mappings, this.tester, mapping, options.pins);
        memo?.set(mapping.id, item);
      }
      add(await item);
    }
    if (mappings.length === 0) add(none('mapping', 'The flow has no map step to check.'));

    add(
      options.purpose === 'ready'
        ? {
            key: 'deploy-permission',
            status: 'skipped',
            explanation:
              'Marking a flow READY is not a deployment: who may deploy is checked then.',
            fixHint: null,
          }
        : await deployPermissionItem(
            m,
            principal,
            flow.packageId,
            env,
            this.config.mfaStepUpMaxAgeSeconds,
            now,
          ),
    );
    return {
      ready: !items.some((i) => i.status === 'fail'),
      flowId: flow.id,
      version: flow.version,
      environment: env.code,
      checkedAt: now.toISOString(),
      items,
    };
  }
}

function none(key: ReadinessItem['key'], explanation: string): ReadinessItem {
  return { key, status: 'skipped', explanation, fixHint: null };
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type FlowContent } from '@integrixs/domain';

import { AdapterEnvironmentsService } from '../adapter/adapter-environments.service';
import { type CreateAdapterDto } from '../adapter/dto/adapter-input.dto';
import { AssetTypeRegistry } from '../asset/asset-type-handler';
import { AssetService } from '../asset/asset.service';
import { DeploymentsService } from '../deployment/deployments.service';
import { assertFlowShape, normaliseFlow } from '../flow/flow-content';
import { FlowTransitions } from '../flow/flow-transitions.service';
import { FlowValidator } from '../flow/flow-validator';
import { type Principal, type VisibilityScope } from '../identity/principal';

/** The environment the demo flow is made ready and deployed in on first start. */
export const DEMO_ENVIRONMENT = 'DEV';
export const DEMO_FLOW_NAME = 'UBL Invoice inbox to summary receiver';
const SOURCE_NAME = 'Invoice inbox (demo folder)';
const TARGET_NAME = 'Invoice summary receiver (this server)';
/** The poll interval of the demo flow's source (seconds). */
const DEMO_POLL_SECONDS = 30;

/** The folders the demo's FILE source reads from and moves read files to, under the data dir. */
export function demoFolders(dataDir: string): { inbox: string; processed: string } {
  const root = path.join(dataDir, 'demo');
  return { inbox: path.join(root, 'inbox'), processed: path.join(root, 'processed') };
}

/**
 * The demo's HTTP target: this server's demo receiver on loopback
 * (demo-receiver.controller.ts). Its connection test GETs …/receiver/health; messages are
 * POSTed to the receiver, which keeps the last 50 in memory (GET /api/demo/receiver).
 */
export function demoTargetUrl(port: number, host = '127.0.0.1'): string {
  return `http://${host}:${port}/api/demo/receiver`;
}

/** How this server is reached from itself: the address it listens on, any-address as loopback. */
export function ownHost(address: string): string {
  if (address === '0.0.0.0' || address === '::' || address === '') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/** What the demo flow is built from (ids of the assets seeded with it). */
export interface DemoFlowAssets {
  packageId: string;
  invoiceSchemaId: string;
  mappingId: string;
}

/** What activation needs: the seeded assets and the demo user on whose behalf it acts. */
export interface DemoFlowSeed {
  packageId: string;
  flowId: string;
  sourceId: string;
  targetId: string;
  principal: Principal;
}

function sourceAdapter(dataDir: string): CreateAdapterDto {
  const { inbox, processed } = demoFolders(dataDir);
  return {
    name: SOURCE_NAME,
    description: `UBL Invoice XML files dropped into ${inbox}; each read file is moved to ${processed}.`,
    tags: ['demo', 'file', 'ubl'],
    status: 'READY',
    message: 'Demo FILE source',
    adapterType: 'FILE',
    direction: 'SOURCE',
    configuration: {
      folder: inbox,
      filePattern: '*.xml',
      afterRead: { action: 'move', targetFolder: processed },
    },
  };
}

function targetAdapter(port: number): CreateAdapterDto {
  return {
    name: TARGET_NAME,
    description:
      "A harmless stand-in for the system that receives invoice summaries: this server's demo receiver on loopback (GET /api/demo/receiver lists what it received). Point it at your endpoint.",
    tags: ['demo', 'http', 'json'],
    status: 'READY',
    message: 'Demo HTTP target',
    adapterType: 'HTTP',
    direction: 'TARGET',
    configuration: {
      baseUrl: demoTargetUrl(port),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      healthPath: '/health',
    },
  };
}

function flowContent(ids: DemoFlowAssets & { sourceId: string; targetId: string }): FlowContent {
  return {
    nodes: [
      {
        id: 'inbox',
        kind: 'source',
        label: 'Invoice inbox',
        position: { x: 0, y: 0 },
        adapter: { assetId: ids.sourceId },
        trigger: { type: 'poll', intervalSeconds: DEMO_POLL_SECONDS },
      },
      {
        id: 'validate',
        kind: 'validate',
        label: 'Valid UBL Invoice',
        position: { x: 240, y: 0 },
        schema: { assetId: ids.invoiceSchemaId, root: 'Invoice' },
      },
      {
        id: 'summarise',
        kind: 'map',
        label: 'To invoice summary',
        position: { x: 480, y: 0 },
        mapping: { assetId: ids.mappingId },
      },
      {
        id: 'deliver',
        kind: 'target',
        label: 'Summary receiver',
        position: { x: 720, y: 0 },
        adapter: { assetId: ids.targetId },
      },
      {
        id: 'errors',
        kind: 'errorHandler',
        label: 'Dead letters',
        position: { x: 360, y: 160 },
        destination: 'deadLetter',
      },
    ],
    edges: [
      { from: 'inbox', to: 'validate' },
      { from: 'validate', to: 'summarise' },
      { from: 'summarise', to: 'deliver' },
    ],
  };
}

/**
 * The demo package's flow (issue 12): UBL Invoice XML from a folder (FILE source, polled) →
 * validate (UBL Invoice, root Invoice) → map (the demo mapping) → HTTP target (this server).
 * `seedIn` writes the adapters and the flow (DRAFT) in the seed's transaction through the asset
 * services, exactly as the API writes them; `activate` runs once the server listens: DEV overlays
 * (the folder, the address really listened on), both connection tests in DEV (results kept),
 * READY through the readiness gate, and a deployment to DEV. Every write is audited as `system`
 * (no request: currentActor()).
 */
@Injectable()
export class DemoFlow {
  private readonly logger = new Logger(DemoFlow.name);

  constructor(
    private readonly assets: AssetService,
    private readonly registry: AssetTypeRegistry,
    private readonly validator: FlowValidator,
    private readonly adapters: AdapterEnvironmentsService,
    private readonly transitions: FlowTransitions,
    private readonly deployments: DeploymentsService,
  ) {}

  /** Creates the folders (outside any transaction: harmless when the seed rolls back). */
  createFolders(dataDir: string): void {
    for (const folder of Object.values(demoFolders(dataDir)))
      mkdirSync(folder, { recursive: true, mode: 0o755 });
  }

  /** The adapters and the flow, inside the seed's transaction. */
  async seedIn(
    m: EntityManager,
    ids: DemoFlowAssets,
    visibility: VisibilityScope,
    settings: { dataDir: string; port: number },
  ): Promise<{ flowId: string; sourceId: string; targetId: string }> {
    const ctx = { packageId: ids.packageId, visibility };
    const adapter = async (dto: CreateAdapterDto) => {
      const prepared = await this.registry.get('ADAPTER').prepareCreate(dto, ctx);
      return (await this.assets.createIn(m, ids.packageId, 'ADAPTER', dto, prepared, ctx)).id;
    };
    const sourceId = await adapter(sourceAdapter(settings.dataDir));
    const targetId = await adapter(targetAdapter(settings.port));
    const raw = flowContent({ ...ids, sourceId, targetId });
    assertFlowShape(raw);
    const content = normaliseFlow(raw);
    // Validated in the seed's transaction: the assets it references are not committed yet.
    const state = await this.validator.validate(m, content, visibility);
    const flow = await this.assets.createIn(
      m,
      ids.packageId,
      'FLOW',
      {
        name: DEMO_FLOW_NAME,
        description:
          'Polls the demo inbox folder for UBL Invoice XML, validates each file against UBL Invoice 2.1, maps it to the JSON invoice summary and sends that to the HTTP target.',
        tags: ['demo', 'ubl', 'invoice'],
        message: 'Demo flow',
      },
      { content, state },
      ctx,
    );
    return { flowId: flow.id, sourceId, targetId };
  }

  /**
   * Makes the seeded flow READY and deploys it in DEV, once the server listens (`baseUrl`: the
   * HTTP target's DEV address, this server's API where it really listens). Never throws: a step that cannot pass (a connection test, the gate) is logged with
   * what to do by hand, and the flow stays as far as it got (DRAFT and READY-able).
   */
  async activate(seed: DemoFlowSeed, baseUrl: string, dataDir: string): Promise<boolean> {
    const env = DEMO_ENVIRONMENT;
    const { packageId, flowId, principal } = seed;
    const byHand = `finish it by hand: test both adapters in ${env}, mark the flow READY and deploy it to ${env}`;
    try {
      await this.adapters.putOverlay(packageId, seed.sourceId, env, {
        folder: demoFolders(dataDir).inbox,
      });
      await this.adapters.putOverlay(packageId, seed.targetId, env, { baseUrl });
      for (const [adapterId, name] of [
        [seed.sourceId, SOURCE_NAME],
        [seed.targetId, TARGET_NAME],
      ] as const) {
        const result = await this.adapters.test(packageId, adapterId, env);
        if (!result.ok) {
          const failed = result.steps.find((s) => s.status === 'failed');
          this.logger.warn(
            `demo flow "${DEMO_FLOW_NAME}" left in DRAFT: the connection test of the adapter "${name}" failed in ${env}${failed ? ` at "${failed.step}": ${failed.message}` : ''}; ${byHand}`,
          );
          return false;
        }
      }
      const editor = { userId: principal.userId, packageRole: 'ADMINISTRATOR' as const };
      await this.transitions.transition(
        packageId,
        flowId,
        'READY',
        editor,
        principal,
        undefined,
        env,
      );
      await this.deployments.deploy(packageId, flowId, env, undefined, {
        principal,
        packageRole: 'ADMINISTRATOR',
      });
      this.logger.log(`demo flow "${DEMO_FLOW_NAME}" is READY and deployed in ${env}`);
      return true;
    } catch (error) {
      this.logger.warn(
        `demo flow "${DEMO_FLOW_NAME}" was not deployed in ${env}: ${(error as Error).message}; ${byHand}`,
      );
      return false;
    }
  }
}

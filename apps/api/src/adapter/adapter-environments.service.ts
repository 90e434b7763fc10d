import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  testAdapterConnection,
  type AdapterTestRequest,
  type ConnectionTestResult,
  type ConnectionTestStep,
} from '@integrixs/adapters';
import { neededSecrets, type ProblemFieldError } from '@integrixs/domain';

import { writeAudit } from '../core/audit/audit-writer';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import { NotFoundError } from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import { type EnvironmentDto } from '../environment/environment.dto';
import { EnvironmentService } from '../environment/environment.service';
import { AdapterBindings } from './adapter-bindings';
import {
  asConfig,
  configurationErrors,
  maskSecrets,
  mergeOverlay,
  SECRET_POINTERS,
  setAt,
  valueAt,
  type Config,
} from './adapter-config';
import { adapterContentOf, type AdapterContent } from './adapter-content';
import { AdapterConfigurationError } from './adapter-errors';
import { AdapterSecrets } from './adapter-secrets';
import {
  type ConnectionTestResultDto,
  type EffectiveConfigDto,
  type LastConnectionTestDto,
  type OverlayDto,
  type PromotionPreviewDto,
} from './dto/adapter-views.dto';

interface Adapter {
  id: string;
  packageId: string;
  content: AdapterContent;
}

/** Leaf values of a JSON object by pointer (objects descended, anything else a leaf). */
function leaves(value: Config, base = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, child] of Object.entries(value)) {
    const pointer = `${base}/${key}`;
    if (child && typeof child === 'object' && !Array.isArray(child))
      for (const [p, v] of leaves(child as Config, pointer)) out.set(p, v);
    else out.set(pointer, child);
  }
  return out;
}

/**
 * An adapter per environment: the overlay merged over its base configuration (not versioned,
 * audited), credentials per environment, the effective configuration and what it lacks,
 * promotion of overlay values between environments (secrets never copied) and real connection
 * tests, whose last result per environment is kept.
 */
/** What a connection test may be given: a mail to send (EMAIL), an input to call with (SOAP). */
export interface TestInput {
  sendTestTo?: string;
  callWith?: Record<string, unknown>;
}

@Injectable()
export class AdapterEnvironmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly environments: EnvironmentService,
    private readonly secrets: AdapterSecrets,
    private readonly bindings: AdapterBindings,
  ) {}

  async putOverlay(
    packageId: string,
    adapterId: string,
    code: string,
    values: Record<string, unknown>,
  ): Promise<OverlayDto> {
    const adapter = await this.adapter(this.db.manager, packageId, adapterId);
    const env = await this.environments.byCode(code);
    const overlay = asConfig(values, '/values');
    const secretErrors: ProblemFieldError[] = SECRET_POINTERS[adapter.content.adapterType]
      .filter((pointer) => valueAt(overlay, pointer) !== undefined)
      .map((pointer) => ({
        path: `/values${pointer}`,
        message: 'is a secret: set it with POST …/credentials',
        code: 'secret',
      }));
    if (secretErrors.length > 0) throw new AdapterConfigurationError(secretErrors);
    const merged = mergeOverlay(adapter.content.configuration, overlay);
    // A value the overlay removes (null) is left for the environment to fill: effective-config
    // reports it as missing ("PROD host is empty"). Every other error is refused here.
    const errors = configurationErrors(adapter.content.adapterType, merged, '/values').filter(
      (e) => e.code !== 'required',
    );
    if (errors.length > 0) throw new AdapterConfigurationError(errors);
    await runInTransaction(this.db, (m) => this.writeOverlay(m, adapter, env, overlay));
    return { environment: env.code, values: overlay };
  }

  async getOverlay(packageId: string, adapterId: string, code: string): Promise<OverlayDto> {
    await this.adapter(this.db.manager, packageId, adapterId);
    const env = await this.environments.byCode(code);
    return { environment: env.code, values: await this.overlayOf(adapterId, env.id) };
  }

  async setCredentials(
    packageId: string,
    adapterId: string,
    code: string,
    secrets: Record<string, unknown>,
  ): Promise<EffectiveConfigDto> {
    const adapter = await this.adapter(this.db.manager, packageId, adapterId);
    const env = await this.environments.byCode(code);
    const allowed = SECRET_POINTERS[adapter.content.adapterType];
    const errors: ProblemFieldError[] = [];
    for (const [pointer, value] of Object.entries(secrets)) {
      if (!allowed.includes(pointer))
        errors.push({
          path: `/secrets/${pointer}`,
          message: `is not a secret field of a ${adapter.content.adapterType} adapter (${allowed.join(', ') || 'it has none'})`,
          code: 'unknown_secret',
        });
      else if (typeof value !== 'string' || value.length === 0 || value.length > 16384)
        errors.push({
          path: `/secrets/${pointer}`,
          message: 'must be a non-empty string of at most 16384 characters',
          code: 'type',
        });
    }
    if (errors.length > 0) throw new AdapterConfigurationError(errors);
    await runInTransaction(this.db, (m) =>
      this.secrets.put(m, adapter, env.id, secrets as Record<string, string>),
    );
    return this.effective(packageId, adapterId, code);
  }

  /**
   * The configuration the adapter runs with in environment `code`, and what it lacks there;
   * `version` takes that content version of the adapter (a deployment's pinned one) instead of
   * the current one (404 for a version that does not exist).
   */
  async effective(
    packageId: string,
    adapterId: string,
    code: string,
    version?: number,
  ): Promise<EffectiveConfigDto> {
    const adapter = await this.adapter(this.db.manager, packageId, adapterId, version);
    const env = await this.environments.byCode(code);
    const { configuration, set } = await this.merged(adapter, env);
    const missing: string[] = [];
    for (const need of neededSecrets(adapter.content.adapterType, configuration)) {
      if (!need.anyOf.some((p) => set.has(p))) missing.push(`${env.code} has no ${need.label} set`);
    }
    for (const error of configurationErrors(adapter.content.adapterType, configuration, '')) {
      missing.push(
        error.code === 'required' || error.code === 'minLength'
          ? `${env.code} ${error.path.slice(1)} is empty`
          : `${env.code} ${error.path.slice(1)} ${error.message}`,
      );
    }
    return {
      environment: env.code,
      configuration: maskSecrets(configuration, set),
      missing,
      lastTest: await this.lastTest(adapterId, env),
    };
  }

  async promotion(
    packageId: string,
    adapterId: string,
    from: string,
    to: string,
  ): Promise<PromotionPreviewDto> {
    const adapter = await this.adapter(this.db.manager, packageId, adapterId);
    const [source, target] = [
      await this.environments.byCode(from),
      await this.environments.byCode(to),
    ];
    const a = leaves(await this.overlayOf(adapterId, source.id));
    const b = leaves(await this.overlayOf(adapterId, target.id));
    const differences = [...new Set([...a.keys(), ...b.keys()])]
      .sort()
      .filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)))
      .map((pointer) => ({
        pointer,
        ...(a.has(pointer) ? { from: a.get(pointer) } : {}),
        ...(b.has(pointer) ? { to: b.get(pointer) } : {}),
      }));
    const set = await this.secrets.setPointers(this.db.manager, adapter.id);
    const inTarget = set.get(target.id) ?? new Set<string>();
    const secretsToEnter = [...(set.get(source.id) ?? [])].filter((p) => !inTarget.has(p)).sort();
    return { from: source.code, to: target.code, differences, secretsToEnter };
  }

  /** Copies the source overlay's values over the target's (never secrets: they stay per env). */
  async promote(
    packageId: string,
    adapterId: string,
    from: string,
    to: string,
  ): Promise<PromotionPreviewDto> {
    const preview = await this.promotion(packageId, adapterId, from, to);
    const adapter = await this.adapter(this.db.manager, packageId, adapterId);
    const source = await this.environments.byCode(from);
    const target = await this.environments.byCode(to);
    const values = mergeOverlay(
      await this.overlayOf(adapterId, target.id),
      await this.overlayOf(adapterId, source.id),
    );
    await runInTransaction(this.db, (m) => this.writeOverlay(m, adapter, target, values));
    return preview;
  }

  /** Really connects with the environment's effective configuration and keeps the result. */
  async test(
    packageId: string,
    adapterId: string,
    code: string,
    input: TestInput = {},
  ): Promise<ConnectionTestResultDto> {
    return (await this.prepareTest(packageId, adapterId, code, input))();
  }

  /**
   * Checks that the adapter can be tested in the environment (404, 422 otherwise) and answers
   * the test itself, to run once: `onStep` hears each step as it completes (streamed answers).
   */
  async prepareTest(
    packageId: string,
    adapterId: string,
    code: string,
    input: TestInput = {},
  ): Promise<(onStep?: (step: ConnectionTestStep) => void) => Promise<ConnectionTestResultDto>> {
    const adapter = await this.adapter(this.db.manager, packageId, adapterId);
    const env = await this.environments.byCode(code);
    const { configuration } = await this.merged(adapter, env);
    const incomplete = configurationErrors(adapter.content.adapterType, configuration, '');
    if (incomplete.length > 0)
      throw new AdapterConfigurationError(
        incomplete.map((e) => ({
          path: `/configuration${e.path}`,
          message: `${e.message} in ${env.code}: set it in the environment's overlay`,
          code: e.code,
        })),
      );
    const secrets: Config = {};
    for (const [pointer, value] of Object.entries(
      await this.secrets.openFor(this.db.manager, adapterId, env.id),
    ))
      setAt(secrets, pointer, value);
    const kind = adapter.content.adapterType;
    const request = {
      kind,
      config: configuration,
      secrets,
      ...(kind === 'SOAP'
        ? {
            wsdl: await this.bindings.wsdlSource(
              this.db.manager,
              String(configuration['wsdlAssetId']),
            ),
          }
        : {}),
    } as unknown as AdapterTestRequest; // validated against the kind's schema on save
    return async (onStep) => {
      const result = await testAdapterConnection(request, {
        policy: {
          allow: [...this.config.outboundAllow],
          deny: [...this.config.outboundDeny],
          allowLoopback: this.config.outboundAllowLoopback,
        },
        sendTestTo: input.sendTestTo,
        ...(input.callWith ? { callWith: input.callWith } : {}),
        onStep,
      });
      return this.keepTestResult(adapterId, env, result);
    };
  }

  /** Keeps the last result per adapter and environment (when, by whom) and answers it. */
  private async keepTestResult(
    adapterId: string,
    env: EnvironmentDto,
    result: ConnectionTestResult,
  ): Promise<ConnectionTestResultDto> {
    const actor = currentActor();
    const [row] = await queryRows<{ tested_at: Date }>(
      this.db.manager,
      `INSERT INTO adapter_connection_tests (asset_id, environment_id, ok, steps, tested_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (asset_id, environment_id)
       DO UPDATE SET ok = $3, steps = $4, tested_by = $5, tested_at = now()
       RETURNING tested_at`,
      [adapterId, env.id, result.ok, JSON.stringify(result.steps), actor],
    );
    return {
      environment: env.code,
      ok: result.ok,
      steps: result.steps,
      testedAt: row.tested_at.toISOString(),
      testedBy: actor,
    };
  }

  async lastTest(adapterId: string, env: EnvironmentDto): Promise<ConnectionTestResultDto | null> {
    const [row] = await queryRows<{
      ok: boolean;
      steps: ConnectionTestResultDto['steps'];
      tested_at: Date;
      tested_by: string;
    }>(
      this.db.manager,
      `SELECT ok, steps, tested_at, tested_by FROM adapter_connection_tests
        WHERE asset_id = $1 AND environment_id = $2`,
      [adapterId, env.id],
    );
    return row
      ? {
          environment: env.code,
          ok: row.ok,
          steps: row.steps,
          testedAt: row.tested_at.toISOString(),
          testedBy: row.tested_by,
        }
      : null;
  }

  async lastTestByCode(
    packageId: string,
    adapterId: string,
    code: string,
  ): Promise<LastConnectionTestDto> {
    await this.adapter(this.db.manager, packageId, adapterId);
    const env = await this.environments.byCode(code);
    return { environment: env.code, lastTest: await this.lastTest(adapterId, env) };
  }

  private async merged(adapter: Adapter, env: EnvironmentDto) {
    const configuration = mergeOverlay(
      adapter.content.configuration,
      await this.overlayOf(adapter.id, env.id),
    );
    const byScope = await this.secrets.setPointers(this.db.manager, adapter.id);
    const set = new Set([...(byScope.get(null) ?? []), ...(byScope.get(env.id) ?? [])]);
    return { configuration, set };
  }

  private async overlayOf(adapterId: string, environmentId: string): Promise<Config> {
    const [row] = await queryRows<{ values: Config }>(
      this.db.manager,
      `SELECT "values" FROM adapter_environment_overlays
        WHERE asset_id = $1 AND environment_id = $2`,
      [adapterId, environmentId],
    );
    return row?.values ?? {};
  }

  private async writeOverlay(
    m: EntityManager,
    adapter: Adapter,
    env: EnvironmentDto,
    values: Config,
  ) {
    const [before] = await queryRows<{ values: Config }>(
      m,
      `SELECT "values" FROM adapter_environment_overlays
        WHERE asset_id = $1 AND environment_id = $2 FOR UPDATE`,
      [adapter.id, env.id],
    );
    await m.query(
      `INSERT INTO adapter_environment_overlays (asset_id, environment_id, "values", updated_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (asset_id, environment_id)
       DO UPDATE SET "values" = $3, updated_by = $4, updated_at = now()`,
      [adapter.id, env.id, JSON.stringify(values), currentActor()],
    );
    await writeAudit(m, [
      {
        action: before ? 'UPDATE' : 'CREATE',
        entityType: 'adapter_overlay',
        entityId: adapter.id,
        packageId: adapter.packageId,
        changes: {
          [env.code]: { ...(before ? { before: before.values } : {}), after: values },
        },
      },
    ]);
  }

  /** The live adapter in the package (404 otherwise) with its current content. */
  private async adapter(
    m: EntityManager,
    packageId: string,
    adapterId: string,
    version?: number,
  ): Promise<Adapter> {
    const [row] = await queryRows<{ content: unknown }>(
      m,
      `SELECT v.content FROM package_assets a
         JOIN asset_versions v
           ON v.asset_id = a.id AND v.version_number = COALESCE($3::int, a.current_version)
        WHERE a.id = $1 AND a.package_id = $2 AND a.type = 'ADAPTER' AND a.deleted_at IS NULL`,
      [adapterId, packageId, version ?? null],
    );
    if (!row)
      throw version === undefined
        ? new NotFoundError('Adapter', adapterId)
        : new NotFoundError(`Version ${version} of adapter`, adapterId);
    return { id: adapterId, packageId, content: adapterContentOf(row.content) };
  }
}

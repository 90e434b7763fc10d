import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  AssetTypeRegistry,
  type AssetInput,
  type AssetSaveContext,
  type PreparedContent,
  type SavedAsset,
} from '../asset/asset-type-handler';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { queryRows } from '../core/database/query-rows';
import { ValidationError } from '../core/errors/app-error';
import { DependencyAwareAssetHandler } from '../dependency/dependency-aware-asset.handler';
import { DependencyService } from '../dependency/dependency.service';
import { AdapterBindings } from './adapter-bindings';
import { assertValidConfiguration, maskSecrets, setAt, splitConfiguration } from './adapter-config';
import { adapterContentOf, type AdapterContent } from './adapter-content';
import { AdapterSecrets } from './adapter-secrets';
import { type CreateAdapterDto, type UpdateAdapterDto } from './dto/adapter-input.dto';
import { type AdapterDetailDto } from './dto/adapter-views.dto';
import { PackageAdapter } from './entities/package-adapter.entity';

/** The top-level content field the generic service takes out before versioning (see onSave). */
const SECRETS_FIELD = 'secrets';

/**
 * The adapter asset type. Content is `{ adapterType, direction, configuration, schemas }`; the
 * configuration is validated by its type's JSON Schema (422 naming every field), the schemas it
 * names must be readable (a SOAP adapter's operation must exist in its WSDL). Secret fields are
 * moved to a `secrets` field the generic service strips before versioning (`secretFields`) and
 * hands to `onSave`, which seals them in adapter_secrets; responses show `{ "set": true }`.
 * Deletes are refused while flows depend on the adapter (DependencyAwareAssetHandler).
 */
@Injectable()
export class AdapterAssetHandler extends DependencyAwareAssetHandler<AdapterDetailDto> {
  readonly type = 'ADAPTER' as const;
  readonly detailEntity = PackageAdapter;
  readonly secretFields: readonly string[] = [SECRETS_FIELD];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    registry: AssetTypeRegistry,
    graph: DependencyService,
    private readonly secrets: AdapterSecrets,
    private readonly bindings: AdapterBindings,
  ) {
    super(registry, graph);
  }

  prepareCreate(input: AssetInput, ctx: AssetSaveContext): Promise<PreparedContent> {
    const dto = input as CreateAdapterDto;
    return this.prepare(
      {
        adapterType: dto.adapterType,
        direction: dto.direction,
        configuration: dto.configuration,
        schemas: { ...(dto.schemas ?? {}) },
      },
      ctx,
    );
  }

  async prepareUpdate(
    input: AssetInput,
    current: PackageAsset,
    ctx: AssetSaveContext,
  ): Promise<PreparedContent | undefined> {
    const dto = input as UpdateAdapterDto;
    const changes = [dto.adapterType, dto.direction, dto.configuration, dto.schemas];
    if (changes.every((x) => x === undefined)) return undefined;
    const [row] = await queryRows<{ content: unknown }>(
      this.db.manager,
      `SELECT content FROM asset_versions WHERE asset_id = $1 AND version_number = $2`,
      [current.id, current.currentVersion],
    );
    const was = adapterContentOf(row?.content);
    if (dto.adapterType !== undefined && dto.adapterType !== was.adapterType) {
      throw ValidationError.of(
        'adapterType',
        `an adapter never changes type (this one is ${was.adapterType}); create a new adapter instead`,
      );
    }
    return this.prepare(
      {
        adapterType: was.adapterType,
        direction: dto.direction ?? was.direction,
        configuration: dto.configuration ?? was.configuration,
        schemas: dto.schemas ? { ...dto.schemas } : was.schemas,
      },
      ctx,
    );
  }

  /** Validates (secrets included, placeholders aside), splits the secrets off, checks bindings. */
  private async prepare(content: AdapterContent, ctx: AssetSaveContext): Promise<PreparedContent> {
    const { config, secrets } = splitConfiguration(content.adapterType, content.configuration);
    const checked = structuredClone(config);
    for (const [pointer, value] of Object.entries(secrets)) setAt(checked, pointer, value);
    assertValidConfiguration(content.adapterType, checked, '/configuration');
    const kept: AdapterContent = { ...content, configuration: config };
    await this.bindings.check(this.db.manager, kept, ctx.visibility);
    return { content: { ...kept, [SECRETS_FIELD]: secrets } };
  }

  async onSave(
    m: EntityManager,
    { asset, detail, prepared, secrets }: SavedAsset,
    ctx: AssetSaveContext,
  ): Promise<AdapterDetailDto> {
    if (prepared) {
      const content = adapterContentOf(detail.content);
      await m.update(
        PackageAdapter,
        { assetId: asset.id },
        { adapterType: content.adapterType, direction: content.direction },
      );
      const given = (secrets[SECRETS_FIELD] ?? {}) as Record<string, string>;
      await this.secrets.put(m, asset, null, given);
      await this.graph.replaceEdges(m, asset, this.bindings.edges(content), ctx.visibility);
    }
    return this.view(m, detail);
  }

  async view(m: EntityManager, detail: AssetDetailDto): Promise<AdapterDetailDto> {
    const content = adapterContentOf(detail.content);
    const set = (await this.secrets.setPointers(m, detail.id)).get(null) ?? new Set<string>();
    const configuration = maskSecrets(content.configuration, set);
    return {
      ...detail,
      content: { ...content, configuration },
      adapterType: content.adapterType,
      direction: content.direction,
      configuration,
      schemas: content.schemas,
    };
  }
}

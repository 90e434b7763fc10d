import { Injectable, type OnModuleInit } from '@nestjs/common';

import { diffSchemas, SchemaEngine } from '@integrixs/schema-engine';

import {
  ImpactExtensions,
  type ChangeVerdict,
  type ChangeVerdictProvider,
  type ImpactSubject,
} from '../dependency/impact-extensions';
import { SavedSchemas } from './saved-schemas';

/**
 * The schema library's part of impact analysis (GET .../assets/{assetId}/impact): the schema
 * diff's breaking / non-breaking verdict from the current version to a proposed one (when the
 * proposed one is current: from the version before it, as the diff route does). A version that
 * does not exist is the diff's 404.
 */
@Injectable()
export class SchemaImpact implements ChangeVerdictProvider, OnModuleInit {
  constructor(
    private readonly extensions: ImpactExtensions,
    private readonly saved: SavedSchemas,
    private readonly engine: SchemaEngine,
  ) {}

  onModuleInit(): void {
    this.extensions.registerVerdict('SCHEMA', this);
  }

  async verdict(subject: ImpactSubject, proposedVersion: number): Promise<ChangeVerdict> {
    const saved = await this.saved.get(subject.packageId, subject.id);
    const from =
      proposedVersion === saved.currentVersion
        ? Math.max(1, proposedVersion - 1)
        : saved.currentVersion;
    const view = async (n: number) => {
      const source = await this.saved.source(saved, n);
      return this.engine.withCompiled(
        this.saved.key(saved, n),
        () => Promise.resolve(source),
        (compiled) => ({ bundle: source.bundle, structure: this.engine.structure(compiled) }),
      );
    };
    const after = await view(proposedVersion);
    const diff = diffSchemas(await view(from), after);
    return {
      from,
      to: proposedVersion,
      compatibility: diff.compatibility,
      reasons: diff.reasons,
      changes: diff.changes.map(({ change, path, kind, breaking, message }) => ({
        change,
        path,
        kind,
        breaking,
        message,
      })),
    };
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { createBundle, type SchemaBundle } from '@integrixs/schema-engine';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { MembersService } from '../identity/members.service';
import { findUserByName } from '../identity/users.repository';
import { UsersService } from '../identity/users.service';
import { PackageMetadataService } from '../package-metadata/package-metadata.service';
import { SchemaLibraryService } from '../schema/schema-library.service';

export const DEMO_PACKAGE_NAME = 'UBL 2.1 Invoice (demo)';
/** The demo user (global DEVELOPER, administrator of the demo package); password INTEGRIXS_DEMO_PASSWORD. */
export const DEMO_USERNAME = 'demo';
const DEMO_MARKER = 'demo.seeded';
const UBL_DIR = path.join(__dirname, 'data', 'ubl-2.1');

/** The UBL 2.1 schema set: maindoc/ and common/ with their relative paths, as one bundle. */
function ublBundle(doc: 'Invoice' | 'Order'): SchemaBundle {
  const files = ['maindoc', 'common'].flatMap((folder) =>
    readdirSync(path.join(UBL_DIR, folder))
      .filter((name) => name.endsWith('.xsd'))
      .sort()
      .map((name) => ({
        path: `${folder}/${name}`,
        text: readFileSync(path.join(UBL_DIR, folder, name), 'utf8'),
      })),
  );
  return createBundle({ type: 'XSD', files, main: `maindoc/UBL-${doc}-2.1.xsd` });
}

/**
 * Seeds the demo package on the first start of a fresh database, once: a marker row in
 * app_settings is written in the same transaction, so deleting the demo package keeps it gone
 * and two instances starting together seed it once.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly packages: PackageMetadataService,
    private readonly schemas: SchemaLibraryService,
    private readonly users: UsersService,
    private readonly members: MembersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const marked = await queryRows(this.db.manager, `SELECT 1 FROM app_settings WHERE key = $1`, [
      DEMO_MARKER,
    ]);
    if (marked.length > 0) return;
    // Compiled before the transaction (about a second), checked like any upload.
    const schemas = await Promise.all(
      (['Invoice', 'Order'] as const).map(async (doc) => {
        const bundle = ublBundle(doc);
        return { doc, bundle, compiled: await this.schemas.checkStandalone(bundle) };
      }),
    );
    const seeded = await this.db.transaction(async (m) => {
      const claimed = await queryRows(
        m,
        `INSERT INTO app_settings (key, value) VALUES ($1, to_jsonb(now())) ON CONFLICT (key) DO NOTHING RETURNING key`,
        [DEMO_MARKER],
      );
      if (claimed.length === 0) return false;
      const pkg = await this.packages.createIn(
        m,
        {
          name: DEMO_PACKAGE_NAME,
          description:
            'The OASIS UBL 2.1 Invoice and Order schema set (maindoc + common), ready to validate invoices. Created on first start; delete it freely.',
          tags: ['demo', 'ubl', 'invoice', 'xsd'],
          owner: 'integrixs',
        },
        // The first start's own package: checked against every package, as nobody owns it yet.
        { all: true, userId: DEMO_USERNAME, packageIds: null },
      );
      const demoUser =
        (await findUserByName(m, DEMO_USERNAME)) ??
        (await this.users.createIn(m, {
          username: DEMO_USERNAME,
          displayName: 'Demo Developer',
          role: 'DEVELOPER',
          password: this.config.demoPassword,
        }));
      await this.members.putIn(m, pkg.id, demoUser.id, 'ADMINISTRATOR');
      for (const { doc, bundle, compiled } of schemas) {
        await this.schemas.createIn(
          m,
          pkg.id,
          {
            name: `UBL ${doc} 2.1`,
            description: `OASIS UBL 2.1 ${doc} document schema with the common/ schemas it imports (maindoc/UBL-${doc}-2.1.xsd).`,
            tags: ['ubl', doc.toLowerCase()],
            status: 'READY',
            message: 'Imported from OASIS UBL 2.1',
          },
          bundle,
          compiled,
        );
      }
      return true;
    });
    if (seeded) {
      this.logger.log(
        `seeded the demo package "${DEMO_PACKAGE_NAME}" and the user "${DEMO_USERNAME}"`,
      );
    }
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FastifyInstance } from 'fastify';
import { type DataSource } from 'typeorm';

import { createBundle, type SchemaBundle } from '@integrixs/schema-engine';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { MembersService } from '../identity/members.service';
import { type Principal } from '../identity/principal';
import { findUserByName } from '../identity/users.repository';
import { UsersService } from '../identity/users.service';
import { MappingService } from '../mapping/mapping.service';
import { PackageMetadataService } from '../package-metadata/package-metadata.service';
import { SchemaLibraryService } from '../schema/schema-library.service';
import { DemoFlow, demoTargetUrl, ownHost, type DemoFlowSeed } from './demo-flow';
import {
  INVOICE_SUMMARY_EXPECTED,
  INVOICE_SUMMARY_RULES,
  INVOICE_SUMMARY_SCHEMA,
} from './invoice-summary';

export const DEMO_PACKAGE_NAME = 'UBL 2.1 Invoice (demo)';
/** The demo user (global DEVELOPER, administrator of the demo package); password INTEGRIXS_DEMO_PASSWORD. */
export const DEMO_USERNAME = 'demo';
const DEMO_MARKER = 'demo.seeded';
const UBL_DIR = path.join(__dirname, 'data', 'ubl-2.1');
const SUMMARY_FILE = 'invoice-summary.schema.json';

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
 * app_settings is written in the same transaction, so deleting the demo package (or its flow)
 * keeps it gone and two instances starting together seed it once. The demo flow (demo-flow.ts)
 * is seeded with it as a DRAFT; the instance that seeded it makes it READY and deploys it in
 * DEV once it listens (its HTTP target's connection test needs this server up).
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);
  private settle: (deployed: boolean) => void = () => undefined;
  /**
   * Settles once this instance is done with the demo flow: true when it made it READY and
   * deployed it in DEV after listening; false when it did not seed (or a step could not pass).
   */
  readonly activated = new Promise<boolean>((resolve) => (this.settle = resolve));

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly packages: PackageMetadataService,
    private readonly schemas: SchemaLibraryService,
    private readonly users: UsersService,
    private readonly members: MembersService,
    private readonly mappings: MappingService,
    private readonly flow: DemoFlow,
    private readonly http: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seed = await this.seed();
    if (!seed) {
      this.settle(false);
      return;
    }
    // Activated after listen: the HTTP target's connection test calls this very server.
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    try {
      fastify.addHook('onListen', () => {
        const address = fastify.server.address();
        const url =
          typeof address === 'object' && address
            ? demoTargetUrl(address.port, ownHost(address.address))
            : demoTargetUrl(this.config.port);
        void this.flow.activate(seed, url, this.config.dataDir).then((ok) => this.settle(ok));
      });
    } catch (error) {
      this.logger.warn(
        `the demo flow stays in DRAFT: cannot wait for the server to listen (${(error as Error).message})`,
      );
      this.settle(false);
    }
  }

  /** The demo package, once; what the demo flow's activation needs, when this call seeded it. */
  private async seed(): Promise<DemoFlowSeed | null> {
    const marked = await queryRows(this.db.manager, `SELECT 1 FROM app_settings WHERE key = $1`, [
      DEMO_MARKER,
    ]);
    if (marked.length > 0) return null;
    // Compiled before the transaction (about a second), checked like any upload.
    const schemas = await Promise.all(
      (['Invoice', 'Order'] as const).map(async (doc) => {
        const bundle = ublBundle(doc);
        return { doc, bundle, compiled: await this.schemas.checkStandalone(bundle) };
      }),
    );
    const summaryBundle = createBundle({
      type: 'JSON_SCHEMA',
      files: [{ path: SUMMARY_FILE, text: JSON.stringify(INVOICE_SUMMARY_SCHEMA, null, 2) }],
      main: SUMMARY_FILE,
    });
    const summaryCompiled = await this.schemas.checkStandalone(summaryBundle);
    this.flow.createFolders(this.config.dataDir);
    const seeded = await this.db.transaction(async (m): Promise<DemoFlowSeed | null> => {
      const claimed = await queryRows(
        m,
        `INSERT INTO app_settings (key, value) VALUES ($1, to_jsonb(now())) ON CONFLICT (key) DO NOTHING RETURNING key`,
        [DEMO_MARKER],
      );
      if (claimed.length === 0) return null;
      const pkg = await this.packages.createIn(
        m,
        {
          name: DEMO_PACKAGE_NAME,
          description:
            'The OASIS UBL 2.1 Invoice and Order schema set (maindoc + common), ready to validate invoices, a JSONata mapping from the Invoice to a JSON invoice summary with the OASIS example as its sample, and a flow that polls a folder for UBL invoices, validates, maps and sends them to an HTTP target (deployed in DEV). Created on first start; undeploy its flow, then delete it freely.',
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
      const ids: Record<string, string> = {};
      for (const { doc, bundle, compiled } of schemas) {
        ids[doc] = (
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
          )
        ).id;
      }
      const summary = await this.schemas.createIn(
        m,
        pkg.id,
        {
          name: 'Invoice summary',
          description:
            'A small JSON summary of an invoice: id, issue date, parties, totals, lines.',
          tags: ['json', 'invoice'],
          status: 'READY',
          message: 'Demo JSON Schema',
        },
        summaryBundle,
        summaryCompiled,
      );
      const mapping = await this.mappings.createIn(
        m,
        pkg.id,
        {
          name: 'UBL Invoice to summary',
          description: 'JSONata rules from the UBL 2.1 Invoice to the JSON invoice summary.',
          tags: ['ubl', 'invoice', 'jsonata'],
          status: 'READY',
          message: 'Demo mapping',
        },
        {
          kind: 'JSONATA',
          sourceSchema: { assetId: ids['Invoice'], version: null, root: 'Invoice' },
          targetSchema: { assetId: summary.id, version: null, root: null },
          rules: INVOICE_SUMMARY_RULES,
          documentExpression: null,
          stylesheet: null,
          files: [],
        },
        [
          {
            name: 'UBL 2.1 Invoice example (OASIS)',
            input: readFileSync(
              path.join(UBL_DIR, 'examples', 'UBL-Invoice-2.1-Example.xml'),
              'utf8',
            ),
            expectedOutput: JSON.stringify(INVOICE_SUMMARY_EXPECTED, null, 2),
          },
        ],
        demoUser.id,
      );
      const flow = await this.flow.seedIn(
        m,
        { packageId: pkg.id, invoiceSchemaId: ids['Invoice'] ?? '', mappingId: mapping.id },
        { all: false, userId: demoUser.id, packageIds: null },
        { dataDir: this.config.dataDir, port: this.config.port },
      );
      // The demo user, on whose behalf the flow is made ready and deployed (audited as system).
      const principal: Principal = {
        kind: 'user',
        userId: demoUser.id,
        username: demoUser.username,
        role: demoUser.role,
        mfaEnrolled: false,
        mfaAt: null,
        sessionId: null,
        token: null,
        verified: true,
      };
      return { packageId: pkg.id, ...flow, principal };
    });
    if (seeded) {
      this.logger.log(
        `seeded the demo package "${DEMO_PACKAGE_NAME}" and the user "${DEMO_USERNAME}"`,
      );
    }
    return seeded;
  }
}

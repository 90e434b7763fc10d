import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { SqlParams } from '../src/core/database/sql-params';
import { type VisibilityScope } from '../src/identity/principal';
import { restrictToVisiblePackages, visiblePackagesSql } from '../src/identity/visibility-filter';
import { IntegrationPackage } from '../src/package-metadata/entities/integration-package.entity';
import { createPackage } from './support/access-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The one visibility rule (issue 9): which packages a scope may read. Lists, search, library
 * resolution and the dependency graph all take it from identity/visibility-filter.ts, as SQL for
 * raw statements or as a condition on a query builder; both forms are checked here, row by row.
 */
describe('the visibility rule', () => {
  let t: TestApp;
  let member: TestUser;
  let outsider: TestUser;
  const ids: Record<string, string> = {};
  const names = (wanted: string[]) => wanted.sort();

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['Alpha', 'Beta', 'Gamma', 'Trash'])
      ids[name] = await createPackage(t, name);
    // The administrator created Gamma but is no member of it: they still see it, by role.
    await t.db.pool.query('DELETE FROM package_members WHERE package_id = $1 AND user_id = $2', [
      ids['Gamma'],
      t.admin.id,
    ]);
    member = await t.createUser({
      role: 'DEVELOPER',
      packages: { [ids['Alpha']]: 'VIEWER', [ids['Trash']]: 'DEVELOPER' },
    });
    outsider = await t.createUser({ role: 'VIEWER' });
    const deleted = await t.request({ method: 'DELETE', url: `/api/packages/${ids['Trash']}` });
    expect(deleted.statusCode).toBe(204);
  });
  afterAll(() => t.close());

  const scope = (
    userId: string,
    all: boolean,
    packages: string[] | null = null,
  ): VisibilityScope => ({
    all,
    userId,
    packageIds: packages === null ? null : packages.map((name) => ids[name]),
  });

  /** Raw SQL, every package (deleted ones too: deletion is the list's filter, not visibility). */
  const readBySql = async (visibility: VisibilityScope): Promise<string[]> => {
    const params = new SqlParams();
    const rule = visiblePackagesSql(visibility, 'p.id', params.bind);
    const { rows } = await t.db.pool.query<{ name: string }>(
      `SELECT p.name FROM integration_packages p WHERE ${rule} ORDER BY p.name`,
      params.values,
    );
    return rows.map((r) => r.name);
  };

  /** The query-builder form; TypeORM leaves out soft-deleted packages unless `withDeleted`. */
  const readByBuilder = async (visibility: VisibilityScope, withDeleted: boolean) => {
    const qb = t.app.get(DataSource).getRepository(IntegrationPackage).createQueryBuilder('p');
    if (withDeleted) qb.withDeleted();
    const found = await restrictToVisiblePackages(qb, 'p.id', visibility)
      .orderBy('p.name')
      .getMany();
    return found.map((p) => p.name);
  };

  const table: [string, () => VisibilityScope, string[]][] = [
    [
      'an administrator reads every package',
      () => scope(t.admin.id, true),
      ['Alpha', 'Beta', 'Gamma', 'Trash'],
    ],
    [
      "an administrator's API token limited to Beta reads Beta",
      () => scope(t.admin.id, true, ['Beta']),
      ['Beta'],
    ],
    [
      "an administrator's API token limited to no package reads none",
      () => scope(t.admin.id, true, []),
      [],
    ],
    [
      'a member reads the packages they belong to',
      () => scope(member.id, false),
      ['Alpha', 'Trash'],
    ],
    [
      "a member's API token limited to Alpha and Beta reads Alpha only",
      () => scope(member.id, false, ['Alpha', 'Beta']),
      ['Alpha'],
    ],
    ['a user of no package reads none', () => scope(outsider.id, false), []],
    [
      "a token's package list grants nothing by itself",
      () => scope(outsider.id, false, ['Alpha']),
      [],
    ],
    ['an unknown user reads none', () => scope(randomUUID(), false), []],
  ];

  it.each(table)('%s', async (_name, visibility, expected) => {
    expect(await readBySql(visibility())).toEqual(names(expected));
    expect(await readByBuilder(visibility(), true)).toEqual(names(expected));
    // Lists of live packages leave out the deleted one, whoever asks.
    expect(await readByBuilder(visibility(), false)).toEqual(
      names(expected.filter((n) => n !== 'Trash')),
    );
  });

  it('binds every value: a hostile user id or package id is data, never SQL', () => {
    const hostile: VisibilityScope = {
      all: false,
      userId: "' OR 1=1--",
      packageIds: ["') OR true--"],
    };
    const params = new SqlParams();
    const rule = visiblePackagesSql(hostile, 'p.id', params.bind);
    expect(rule).not.toContain('OR 1=1');
    expect(params.values).toEqual(["' OR 1=1--", ["') OR true--"]]);
  });

  it('adds to the parameters a statement already has, and to a builder whatever it binds', async () => {
    const params = new SqlParams([ids['Alpha']]);
    const rule = visiblePackagesSql(scope(member.id, false), 'p.id', params.bind);
    const { rows } = await t.db.pool.query<{ name: string }>(
      `SELECT p.name FROM integration_packages p WHERE p.id = $1 AND ${rule}`,
      params.values,
    );
    expect(rows.map((r) => r.name)).toEqual(['Alpha']);

    const qb = t.app
      .get(DataSource)
      .getRepository(IntegrationPackage)
      .createQueryBuilder('p')
      .where('p.id <> :p0', { p0: ids['Alpha'] });
    restrictToVisiblePackages(qb, 'p.id', scope(t.admin.id, true, ['Alpha', 'Beta']));
    restrictToVisiblePackages(qb, 'p.id', scope(member.id, false));
    expect(await qb.getMany()).toEqual([]);
    const admins = await restrictToVisiblePackages(
      t.app
        .get(DataSource)
        .getRepository(IntegrationPackage)
        .createQueryBuilder('p')
        .where('p.id <> :p0', { p0: ids['Alpha'] }),
      'p.id',
      scope(t.admin.id, true, ['Alpha', 'Beta']),
    ).getMany();
    expect(admins.map((p) => p.name)).toEqual(['Beta']);
  });
});

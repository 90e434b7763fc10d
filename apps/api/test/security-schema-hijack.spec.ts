import { createPackage } from './support/access-fixtures';
import { createSchema, validatePayload, type SchemaView } from './support/schemas';
import {
  identifier,
  importerDocument,
  libraryDocument,
  payloadFor,
  problemPaths,
  tenancyHelpers,
  type Kind,
  type Problem,
} from './support/tenancy';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * The schema library hijack (issue 8, item 8): anyone may create a package, add a victim to it
 * and publish a schema under a namespace / $id a legitimate package already offers. The victim's
 * saves never bind to it silently: several readable candidates refuse the save until one is
 * chosen, the choice is pinned, and the victim is told they were added to the package.
 */

interface AuditItem {
  action: string;
  entityId: string;
  packageId: string;
  actor: string;
}

interface MemberItem {
  userId: string;
  addedBy: string;
  addedByUsername: string | null;
  addedAt: string;
}

describe('schema library hijack', () => {
  let t: TestApp;
  let h: ReturnType<typeof tenancyHelpers>;

  beforeAll(async () => {
    t = await startTestApp();
    h = tenancyHelpers(t);
  });
  afterAll(() => t.close());

  describe.each<Kind>(['XSD', 'JSON_SCHEMA'])('%s', (kind) => {
    it('refuses an identifier offered by several readable packages until one is chosen, and keeps the choice', async () => {
      const id = identifier(kind, 'hijack');
      const owner = await t.createUser({ role: 'DEVELOPER' });
      const victim = await t.createUser({ role: 'DEVELOPER' });
      const attacker = await t.createUser({ role: 'DEVELOPER' });
      const legitPackage = await createPackage(t, `Legit library ${kind}`, { as: owner });
      const legit = await createSchema(
        t,
        legitPackage,
        { name: 'Legit note', type: kind, document: libraryDocument(kind, id) },
        owner,
      );
      await h.addMember(legitPackage, victim, 'VIEWER', owner);
      const app = await createPackage(t, `Victim application ${kind}`, { as: victim });
      const create = (name: string, extra: Record<string, unknown> = {}) =>
        t.request({
          method: 'POST',
          url: h.schemaUrl(app),
          payload: { name, type: kind, document: importerDocument(kind, id), ...extra },
          as: victim,
        });
      const before = json<SchemaView>(await create('Bound before'));
      expect((await h.edgesOf(before.id)).map((e) => e.to_asset_id)).toEqual([legit.id]);

      // The attacker adds the victim to a package of theirs and publishes the same identifier.
      const evilPackage = await createPackage(t, `Evil library ${kind}`, { as: attacker });
      await h.addMember(evilPackage, victim, 'VIEWER', attacker);
      const evil = await createSchema(
        t,
        evilPackage,
        { name: 'Evil note', type: kind, document: libraryDocument(kind, id, true) },
        attacker,
      );

      const refused = await create('New envelope');
      expect(refused.statusCode).toBe(409);
      const problem = json<Problem>(refused);
      expect(problem.detail).toContain(id);
      expect(problem.detail).toContain(`Legit library ${kind}`);
      expect(problem.detail).toContain(`Evil library ${kind}`);
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'libraryChoices' })]);
      expect(problem.candidates?.map((c) => c.schemaId).sort()).toEqual([legit.id, evil.id].sort());
      expect(problem.candidates?.map((c) => c.packageId).sort()).toEqual(
        [legitPackage, evilPackage].sort(),
      );

      // A schema bound before keeps its binding on a new save, without asking.
      const resaved = await h.putContent(app, before.id, importerDocument(kind, id, 1), victim);
      expect(resaved.statusCode).toBe(200);
      expect((await h.edgesOf(before.id)).map((e) => e.to_asset_id)).toEqual([legit.id]);
      const stillLegit = await validatePayload(t, app, before.id, payloadFor(kind, id), '', victim);
      expect(json<{ valid: boolean }>(stillLegit).valid).toBe(true);

      // An explicit choice is pinned, and later saves without one keep it (either way round).
      const chosen = await create('Chose legit', {
        libraryChoices: [{ namespace: id, schemaId: legit.id }],
      });
      expect(chosen.statusCode).toBe(201);
      expect(await h.edgesOf(json<SchemaView>(chosen).id)).toEqual([
        { to_asset_id: legit.id, pinned_version: 1, namespace: id },
      ]);
      const other = await create('Chose evil', {
        libraryChoices: [{ namespace: id, schemaId: evil.id }],
      });
      expect(other.statusCode).toBe(201);
      const otherId = json<SchemaView>(other).id;
      const kept = await h.putContent(app, otherId, importerDocument(kind, id, 1), victim);
      expect(kept.statusCode).toBe(200);
      expect((await h.edgesOf(otherId)).map((e) => e.to_asset_id)).toEqual([evil.id]);
      const rechosen = await h.putContent(app, otherId, importerDocument(kind, id, 2), victim, {
        libraryChoices: [{ namespace: id, schemaId: legit.id }],
      });
      expect(rechosen.statusCode).toBe(200);
      expect((await h.edgesOf(otherId)).map((e) => e.to_asset_id)).toEqual([legit.id]);

      // A choice must be a readable schema offering that identifier, for an identifier it imports.
      const hiddenPackage = await createPackage(t, `Hidden library ${kind}`);
      const hidden = await createSchema(t, hiddenPackage, {
        name: 'Hidden note',
        type: kind,
        document: libraryDocument(kind, id),
      });
      const unreadable = await create('Chose hidden', {
        libraryChoices: [{ namespace: id, schemaId: hidden.id }],
      });
      expect(unreadable.statusCode).toBe(400);
      expect(problemPaths(unreadable)).toEqual(['libraryChoices.0.schemaId']);
      expect(unreadable.body).not.toContain('Hidden');
      const unrelatedId = identifier(kind, 'not-imported');
      const unrelated = await createSchema(
        t,
        legitPackage,
        { name: 'Unrelated note', type: kind, document: libraryDocument(kind, unrelatedId) },
        owner,
      );
      const unused = await create('Chose unused', {
        libraryChoices: [
          { namespace: id, schemaId: legit.id },
          { namespace: unrelatedId, schemaId: unrelated.id },
        ],
      });
      expect(unused.statusCode).toBe(400);
      expect(problemPaths(unused)).toEqual(['libraryChoices.1.namespace']);

      // Losing access to the pinned schema never rebinds to the other one silently.
      const removed = await t.request({
        method: 'DELETE',
        url: `/api/packages/${legitPackage}/members/${victim.id}`,
        as: owner,
      });
      expect(removed.statusCode).toBe(204);
      const orphaned = await h.putContent(app, before.id, importerDocument(kind, id, 2), victim);
      expect(orphaned.statusCode).toBe(409);
      expect(json<Problem>(orphaned).candidates?.map((c) => c.schemaId)).toEqual([evil.id]);
      expect(orphaned.body).not.toContain('Legit');
      expect((await h.edgesOf(before.id)).map((e) => e.to_asset_id)).toEqual([legit.id]);
    });
  });

  it('tells a user they were added to a package: an audit entry they can read, and who added them', async () => {
    const attacker = await t.createUser({ role: 'DEVELOPER' });
    const victim = await t.createUser({ role: 'DEVELOPER' });
    const bystander = await t.createUser({ role: 'VIEWER' });
    const pkg = await createPackage(t, 'Added without asking', { as: attacker });
    await h.addMember(pkg, victim, 'VIEWER', attacker);

    const mine = await t.request({ method: 'GET', url: '/api/audit/me', as: victim });
    expect(mine.statusCode).toBe(200);
    const entries = json<{ items: AuditItem[] }>(mine).items;
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'MEMBER_ADDED',
        entityId: victim.id,
        packageId: pkg,
        actor: attacker.id,
      }),
    );
    expect(entries.every((e) => e.entityId === victim.id)).toBe(true);
    const filtered = await t.request({
      method: 'GET',
      url: '/api/audit/me?action=MEMBER_ADDED',
      as: victim,
    });
    expect(json<{ items: AuditItem[] }>(filtered).items.map((e) => e.packageId)).toEqual([pkg]);
    const theirs = json<{ items: AuditItem[] }>(
      await t.request({ method: 'GET', url: '/api/audit/me', as: bystander }),
    ).items;
    expect(theirs.filter((e) => e.entityId === victim.id)).toEqual([]);

    const members = json<{ items: MemberItem[] }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/members`, as: victim }),
    ).items;
    const added = members.find((m) => m.userId === victim.id);
    expect(added).toMatchObject({ addedBy: attacker.id, addedByUsername: attacker.username });
    expect(Date.now() - Date.parse(added?.addedAt ?? '')).toBeLessThan(60_000);
    expect(members.find((m) => m.userId === attacker.id)).toMatchObject({
      addedBy: attacker.id,
      addedByUsername: attacker.username,
    });
  });
});

import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('asset locks', () => {
  let t: TestApp;
  let packageId: string;
  let alice: TestUser;
  let bob: TestUser;
  let packageAdmin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    packageId = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Locks' } }),
    ).id;
    alice = await t.createUser({ role: 'DEVELOPER', packages: { [packageId]: 'DEVELOPER' } });
    bob = await t.createUser({ role: 'DEVELOPER', packages: { [packageId]: 'DEVELOPER' } });
    packageAdmin = await t.createUser({
      role: 'VIEWER',
      packages: { [packageId]: 'ADMINISTRATOR' },
    });
  });
  afterAll(() => t.close());

  it('lets only the locker or a package administrator change, delete or unlock a locked asset', async () => {
    const asset = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${packageId}/flows`,
        as: alice,
        payload: { name: 'Order flow', nodes: [], edges: [] },
      }),
    );
    const url = `/api/packages/${packageId}/flows/${asset.id}`;
    const locked = await t.request({ method: 'PUT', url: `${url}/lock`, as: alice });
    expect(locked.statusCode).toBe(200);
    expect(json<{ lock: { lockedBy: string } }>(locked).lock.lockedBy).toBe(alice.id);

    const version = json<{ version: number }>(
      await t.request({ method: 'GET', url, as: bob }),
    ).version;
    for (const attempt of [
      t.request({ method: 'PUT', url, as: bob, payload: { version, description: 'mine now' } }),
      t.request({ method: 'DELETE', url, as: bob }),
      t.request({ method: 'DELETE', url: `${url}/lock`, as: bob }),
      t.request({ method: 'PUT', url: `${url}/lock`, as: bob }),
    ]) {
      const response = await attempt;
      expect(response.statusCode).toBe(423);
      expect(json(response)).toMatchObject({ code: 'asset_locked', lockedBy: alice.id });
    }
    expect(
      (
        await t.request({
          method: 'PUT',
          url,
          as: alice,
          payload: { version, description: 'by alice' },
        })
      ).statusCode,
    ).toBe(200);
    const unlocked = await t.request({ method: 'DELETE', url: `${url}/lock`, as: packageAdmin });
    expect(unlocked.statusCode).toBe(200);
    expect(json<{ lock: unknown }>(unlocked).lock).toBeNull();
    const next = json<{ version: number }>(
      await t.request({ method: 'GET', url, as: bob }),
    ).version;
    expect(
      (
        await t.request({
          method: 'PUT',
          url,
          as: bob,
          payload: { version: next, description: 'by bob' },
        })
      ).statusCode,
    ).toBe(200);
  });
});

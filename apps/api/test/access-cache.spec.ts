import { startTestApp, type TestApp } from './support/test-app';

/** Two API instances on one database, as when several run behind a load balancer. */
describe('authorization cache across instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ databaseUrl: a.db.url });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  /** Repeats a request on instance `b` until it answers `status` (notifications are asynchronous). */
  async function eventually(
    request: () => ReturnType<TestApp['request']>,
    status: number,
  ): Promise<number> {
    const started = Date.now();
    let last = (await request()).statusCode;
    while (last !== status && Date.now() - started < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      last = (await request()).statusCode;
    }
    expect(last).toBe(status);
    return Date.now() - started;
  }

  it('refuses a user disabled on another instance within milliseconds', async () => {
    const user = await a.createUser({ role: 'DEVELOPER' });
    const list = () => b.request({ method: 'GET', url: '/api/packages', as: user });
    expect((await list()).statusCode).toBe(200); // now cached on b
    const current = (await a.request({ method: 'GET', url: `/api/users/${user.id}` })).json<{
      version: number;
    }>();
    expect(
      (
        await a.request({
          method: 'PUT',
          url: `/api/users/${user.id}`,
          payload: { version: current.version, disabled: true },
        })
      ).statusCode,
    ).toBe(200);
    expect(await eventually(list, 401)).toBeLessThan(1000);
  });

  it('sees a membership granted or removed on another instance', async () => {
    const pkg = (
      await a.request({ method: 'POST', url: '/api/packages', payload: { name: 'Shared' } })
    ).json<{ id: string }>();
    const user = await a.createUser({ role: 'VIEWER' });
    const read = () => b.request({ method: 'GET', url: `/api/packages/${pkg.id}`, as: user });
    expect((await read()).statusCode).toBe(404);
    await a.request({
      method: 'PUT',
      url: `/api/packages/${pkg.id}/members/${user.id}`,
      payload: { role: 'VIEWER' },
    });
    await eventually(read, 200);
    await a.request({ method: 'DELETE', url: `/api/packages/${pkg.id}/members/${user.id}` });
    await eventually(read, 404);
  });

  it('drops its own entries at commit: no stale answer on the instance that made the change', async () => {
    const pkg = (
      await a.request({ method: 'POST', url: '/api/packages', payload: { name: 'Local' } })
    ).json<{ id: string }>();
    const user = await a.createUser({ role: 'VIEWER', packages: { [pkg.id]: 'VIEWER' } });
    for (let round = 0; round < 20; round++) {
      expect(
        (await a.request({ method: 'GET', url: `/api/packages/${pkg.id}`, as: user })).statusCode,
      ).toBe(200);
      await a.request({ method: 'DELETE', url: `/api/packages/${pkg.id}/members/${user.id}` });
      expect(
        (await a.request({ method: 'GET', url: `/api/packages/${pkg.id}`, as: user })).statusCode,
      ).toBe(404);
      await a.request({
        method: 'PUT',
        url: `/api/packages/${pkg.id}/members/${user.id}`,
        payload: { role: 'VIEWER' },
      });
    }
  });
});

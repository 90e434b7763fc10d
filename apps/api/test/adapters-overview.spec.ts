import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Overview {
  total: number;
  nextCursor: string | null;
  items: {
    adapterId: string;
    name: string;
    status: string;
    adapterType: string;
    direction: string;
    lastTests: { environment: string; ok: boolean; testedAt: string }[];
  }[];
}

describe('GET /api/packages/{id}/adapters/overview', () => {
  let t: TestApp;
  let pkg: string;
  let viewer: TestUser;
  let folder: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Overview');
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    folder = await mkdtemp(join(tmpdir(), 'adapters-overview-'));
    const create = async (name: string, adapterType: string, configuration: object) => {
      const created = await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/adapters`,
        payload: { name, adapterType, direction: 'SOURCE', configuration },
      });
      expect(created.statusCode).toBe(201);
      ids[name] = json<{ id: string }>(created).id;
    };
    await create('Inbox', 'FILE', { folder });
    await create('Missing', 'FILE', { folder: join(folder, 'missing') });
    await create('Gone', 'HTTP', { baseUrl: 'https://api.example.com' });
  });
  afterAll(async () => {
    await t.close();
    await rm(folder, { recursive: true, force: true });
  });

  const test = (name: string, environment: string) =>
    t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/adapters/${ids[name]}/test?environment=${environment}`,
    });

  it("answers each live adapter's type, direction and last test per environment, in environment order", async () => {
    expect((await test('Inbox', 'PROD')).statusCode).toBe(200);
    expect((await test('Inbox', 'DEV')).statusCode).toBe(200);
    expect((await test('Missing', 'DEV')).statusCode).toBe(200);
    const removed = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/adapters/${ids['Gone']}`,
    });
    expect(removed.statusCode).toBe(204);

    const response = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/adapters/overview`,
      as: viewer,
    });
    expect(response.statusCode).toBe(200);
    const byId = new Map(json<Overview>(response).items.map((item) => [item.adapterId, item]));
    expect(byId.size).toBe(2);
    expect(byId.get(ids['Inbox'] ?? '')).toMatchObject({
      adapterType: 'FILE',
      direction: 'SOURCE',
      lastTests: [
        { environment: 'DEV', ok: true },
        { environment: 'PROD', ok: true },
      ],
    });
    expect(byId.get(ids['Missing'] ?? '')?.lastTests).toEqual([
      { environment: 'DEV', ok: false, testedAt: expect.any(String) as string },
    ]);
  });

  it('pages by name with a cursor and filters by adapter type', async () => {
    await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/adapters`,
      payload: {
        name: 'api gateway',
        adapterType: 'HTTP',
        direction: 'TARGET',
        configuration: { baseUrl: 'https://api.example.com' },
      },
    });
    const page = async (query: string) => {
      const response = await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/adapters/overview?${query}`,
        as: viewer,
      });
      expect(response.statusCode).toBe(200);
      return json<Overview>(response);
    };
    const first = await page('limit=2');
    expect(first.items.map((item) => item.name)).toEqual(['api gateway', 'Inbox']);
    expect(first.items[0]).toMatchObject({ status: 'DRAFT', adapterType: 'HTTP' });
    expect(first.total).toBe(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(`limit=2&cursor=${first.nextCursor ?? ''}`);
    expect(second.items.map((item) => item.name)).toEqual(['Missing']);
    expect(second.nextCursor).toBeNull();

    const files = await page('adapterType=FILE');
    expect(files.items.map((item) => item.name)).toEqual(['Inbox', 'Missing']);
    expect(files.total).toBe(2);
  });

  it('answers 400 naming the cursor when it is not one the API issued', async () => {
    const response = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/adapters/overview?cursor=forged`,
      as: viewer,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('cursor');
  });

  it('is a 404 for someone who is not a member of the package', async () => {
    const stranger = await t.createUser({ role: 'DEVELOPER' });
    const response = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/adapters/overview`,
      as: stranger,
    });
    expect(response.statusCode).toBe(404);
  });
});

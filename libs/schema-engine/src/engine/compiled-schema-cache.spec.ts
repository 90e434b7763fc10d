import { SchemaInvalidError } from '../problems/schema-problems';
import { CompiledSchemaCache } from './compiled-schema-cache';

interface Fake {
  key: string;
  bytes: number;
}

function setUp(options: { maxBytes?: number; failureTtlMs?: number } = {}) {
  const disposed: string[] = [];
  const compiles: string[] = [];
  const cache = new CompiledSchemaCache<Fake>(
    (v) => v.bytes,
    (v) => disposed.push(v.key),
    options,
  );
  const compile =
    (key: string, bytes = 10) =>
    () => {
      compiles.push(key);
      return Promise.resolve({ key, bytes });
    };
  const get = (key: string, bytes = 10) => cache.use(key, compile(key, bytes), (v) => v.key);
  return { cache, disposed, compiles, compile, get };
}

describe('CompiledSchemaCache', () => {
  it('compiles once per key and serves the rest from the cache', async () => {
    const { cache, compiles, get } = setUp();
    await get('a@1');
    await get('a@1');
    await get('a@2');
    expect(compiles).toEqual(['a@1', 'a@2']);
    expect(cache.stats()).toEqual({ entries: 2, bytes: 20, hits: 1, misses: 2 });
  });

  it('shares one compile between concurrent requests for a key', async () => {
    const { cache } = setUp();
    let calls = 0;
    let finish: (v: Fake) => void = () => undefined;
    const compile = () => {
      calls += 1;
      return new Promise<Fake>((resolve) => (finish = resolve));
    };
    const all = Promise.all(
      Array.from({ length: 20 }, () => cache.use('k', compile, (v) => v.key)),
    );
    await Promise.resolve();
    finish({ key: 'k', bytes: 1 });
    expect(await all).toEqual(Array.from({ length: 20 }, () => 'k'));
    expect(calls).toBe(1);
  });

  it('evicts the least recently used entries past the memory budget, disposing them', async () => {
    const { cache, disposed, get } = setUp({ maxBytes: 30 });
    await get('a');
    await get('b');
    await get('c');
    await get('a'); // a is now the most recently used
    await get('d');
    expect(disposed).toEqual(['b']);
    expect(cache.has('a')).toBe(true);
    await get('big', 25);
    expect(disposed).toEqual(['b', 'c', 'a', 'd']);
    expect(cache.stats().bytes).toBe(25);
  });

  it('keeps an evicted entry alive until its users are done', async () => {
    const { cache, disposed, compile } = setUp({ maxBytes: 10 });
    let release: () => void = () => undefined;
    const inUse = cache.use(
      'a',
      compile('a'),
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await cache.use('b', compile('b'), () => undefined); // evicts a
    expect(disposed).toEqual([]);
    release();
    await inUse;
    expect(disposed).toEqual(['a']);
  });

  it('invalidates by key and by prefix', async () => {
    const { cache, disposed, compiles, get } = setUp();
    await get('asset1@1');
    await get('asset1@2');
    await get('asset2@1');
    cache.invalidate('asset2@1');
    cache.invalidatePrefix('asset1@');
    expect(disposed.sort()).toEqual(['asset1@1', 'asset1@2', 'asset2@1']);
    await get('asset2@1');
    expect(compiles.filter((k) => k === 'asset2@1')).toHaveLength(2);
  });

  it('does not store a compile that was invalidated while running', async () => {
    const { cache, disposed } = setUp();
    let finish: (v: Fake) => void = () => undefined;
    const pending = cache.use(
      'k',
      () => new Promise<Fake>((resolve) => (finish = resolve)),
      (v) => v.key,
    );
    await Promise.resolve();
    cache.invalidate('k');
    finish({ key: 'k', bytes: 1 });
    expect(await pending).toBe('k');
    expect(cache.has('k')).toBe(false);
    expect(disposed).toEqual(['k']);
  });

  it('remembers an invalid schema only briefly', async () => {
    const { cache } = setUp({ failureTtlMs: 50 });
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new SchemaInvalidError([{ message: 'bad', code: 'schema_invalid' }]));
    };
    await expect(cache.use('k', failing, () => 1)).rejects.toBeInstanceOf(SchemaInvalidError);
    await expect(cache.use('k', failing, () => 1)).rejects.toBeInstanceOf(SchemaInvalidError);
    expect(calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(cache.use('k', failing, () => 1)).rejects.toBeInstanceOf(SchemaInvalidError);
    expect(calls).toBe(2);
  });

  it('never remembers other failures (a worker that died)', async () => {
    const { cache } = setUp();
    let calls = 0;
    const flaky = () => {
      calls += 1;
      return calls === 1
        ? Promise.reject(new Error('worker exited'))
        : Promise.resolve({ key: 'k', bytes: 1 });
    };
    await expect(cache.use('k', flaky, () => 1)).rejects.toThrow('worker exited');
    expect(await cache.use('k', flaky, (v) => v.key)).toBe('k');
  });
});

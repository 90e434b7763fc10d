import { laneOf } from './job-queue';
import { readRuntimeSettings, retryDelayMs, RuntimeSettingsError } from './runtime-settings';
import { snapshotOf } from './snapshot';

describe('runtime settings', () => {
  it('has the documented defaults and reads RUNTIME_* variables', () => {
    expect(readRuntimeSettings({})).toMatchObject({
      stepTimeoutMs: 30_000,
      maxAttempts: 5,
      retryBaseMs: 1000,
      retryCapMs: 300_000,
      flowConcurrency: 4,
      workerConcurrency: 8,
      jobBatchSize: 9,
      completeBatchMs: 0,
      snapshotBytes: 4096,
    });
    expect(readRuntimeSettings({ RUNTIME_SNAPSHOT_BYTES: '0' }).snapshotBytes).toBe(0);
    expect(() => readRuntimeSettings({ RUNTIME_SNAPSHOT_BYTES: '16385' })).toThrow(
      'RUNTIME_SNAPSHOT_BYTES must be a whole number from 0 to 16384, got "16385"',
    );
    expect(readRuntimeSettings({ RUNTIME_WORKER_CONCURRENCY: '20' }).jobBatchSize).toBe(21);
    expect(
      readRuntimeSettings({ RUNTIME_JOB_BATCH_SIZE: '0', RUNTIME_COMPLETE_BATCH_MS: '20' }),
    ).toMatchObject({ jobBatchSize: 0, completeBatchMs: 20 });
    expect(
      readRuntimeSettings({ RUNTIME_STEP_TIMEOUT_SECONDS: '2', RUNTIME_MAX_ATTEMPTS: '3' }),
    ).toMatchObject({ stepTimeoutMs: 2000, maxAttempts: 3 });
  });

  it('names every bad variable', () => {
    expect(() =>
      readRuntimeSettings({ RUNTIME_MAX_ATTEMPTS: '0', RUNTIME_FLOW_CONCURRENCY: 'many' }),
    ).toThrow(RuntimeSettingsError);
    try {
      readRuntimeSettings({ RUNTIME_MAX_ATTEMPTS: '0', RUNTIME_FLOW_CONCURRENCY: 'many' });
    } catch (error) {
      expect((error as RuntimeSettingsError).problems).toEqual([
        'RUNTIME_MAX_ATTEMPTS must be a whole number from 1 to 100, got "0"',
        'RUNTIME_FLOW_CONCURRENCY must be a whole number from 0 to 256, got "many"',
      ]);
    }
  });

  it('backs off exponentially with full jitter, capped', () => {
    const settings = { retryBaseMs: 1000, retryCapMs: 300_000 };
    expect(retryDelayMs(1, settings, () => 0.999)).toBe(999);
    expect(retryDelayMs(3, settings, () => 0.5)).toBe(2000);
    expect(retryDelayMs(20, settings, () => 0.999)).toBe(299_700);
    expect(retryDelayMs(4, settings, () => 0)).toBe(1);
  });

  it('keeps a message in one lane of its flow', () => {
    const lane = laneOf('flow-1', 'message-1', 4);
    expect(lane).toMatch(/^integrixs:flow:flow-1:[0-3]$/);
    expect(laneOf('flow-1', 'message-1', 4)).toBe(lane);
    const lanes = new Set(Array.from({ length: 100 }, (_, i) => laneOf('f', `m${i}`, 4)));
    expect(lanes.size).toBe(4);
  });
});

describe('step snapshots', () => {
  it('masks opened secrets and secret-like fields, and caps the size', () => {
    const text = JSON.stringify({ user: 'ann', password: 'hunter22', note: 'key s3cr3t-value' });
    expect(snapshotOf(text, 4096, ['s3cr3t-value'])).toBe(
      '{"user":"ann","password":"***","note":"key ***"}',
    );
    expect(snapshotOf('<a><Token>abc</Token><b>1</b></a>', 4096)).toBe(
      '<a><Token>***</Token><b>1</b></a>',
    );
    const big = snapshotOf('é'.repeat(5000), 4096) ?? '';
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(4096);
    expect(big.endsWith('…[truncated]')).toBe(true);
    expect(snapshotOf(null, 4096)).toBeNull();
  });
});

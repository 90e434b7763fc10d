import { withTimeout } from './message-steps';

describe('withTimeout (a step bounded in time)', () => {
  it('answers what the step answers in time', async () => {
    await expect(withTimeout(Promise.resolve('mapped'), 1_000, 'map')).resolves.toBe('mapped');
  });

  it('fails a step that does not finish with a step_timeout error naming it', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 20, 'target out')).rejects.toMatchObject({
      message: 'target out did not finish within 20 ms',
      code: 'step_timeout',
    });
  });

  it("passes the step's own failure on unchanged", async () => {
    const failure = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    await expect(withTimeout(Promise.reject(failure), 1_000, 'target out')).rejects.toBe(failure);
  });
});

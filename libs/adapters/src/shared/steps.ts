/**
 * A connection test is an ordered list of steps (resolve → connect → tls → authenticate → …).
 * Each step has a timeout; the first failure skips the rest, so the caller sees exactly how far
 * the test got and why it stopped.
 */
import { explainError, StepFailure } from './explain-error';
import { withTimeout } from './timeouts';

export type StepName =
  | 'resolve'
  | 'connect'
  | 'tls'
  | 'host-key'
  | 'authenticate'
  | 'folder'
  | 'list'
  | 'permissions'
  | 'mailbox'
  | 'send'
  | 'request'
  | 'status'
  | 'wsdl'
  | 'operation';

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface ConnectionTestStep {
  step: StepName;
  status: StepStatus;
  durationMs: number;
  message: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  steps: ConnectionTestStep[];
}

export { StepFailure };

/** Runs steps in order and records them; after a failure, later steps are recorded as skipped. */
export class StepRunner {
  readonly steps: ConnectionTestStep[] = [];
  private failed = false;

  /** `onStep` hears of each step as it is recorded (the API streams them to the console). */
  constructor(
    private readonly defaultTimeoutMs: number,
    private readonly onStep?: (step: ConnectionTestStep) => void,
  ) {}

  get ok(): boolean {
    return !this.failed;
  }

  /**
   * Runs `fn` as step `step`. Its return value (a string) becomes the message when it passes;
   * an error becomes a plain explanation when it fails. Returns the step's value, or undefined
   * when the step failed or was skipped.
   */
  async run<T>(
    step: StepName,
    fn: () => Promise<T>,
    describe: (value: T) => string,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<T | undefined> {
    if (this.failed) {
      this.record(step, 'skipped', 0, 'skipped: an earlier step failed');
      return undefined;
    }
    const started = performance.now();
    try {
      const value = await withTimeout(fn(), timeoutMs, `${step} step`);
      this.record(step, 'passed', performance.now() - started, describe(value));
      return value;
    } catch (error) {
      this.fail(step, performance.now() - started, explainError(error));
      return undefined;
    }
  }

  /** Records a step as skipped on purpose (e.g. TLS on a plain-text connection). */
  skip(step: StepName, message: string): void {
    this.record(step, 'skipped', 0, message);
  }

  /** Records a failure found outside `run` (e.g. a host key mismatch seen during a handshake). */
  fail(step: StepName, durationMs: number, message: string): void {
    this.failed = true;
    this.record(step, 'failed', durationMs, message);
  }

  record(step: StepName, status: StepStatus, durationMs: number, message: string): void {
    const recorded = { step, status, durationMs: Math.round(durationMs), message };
    this.steps.push(recorded);
    this.onStep?.(recorded);
  }

  result(): ConnectionTestResult {
    return { ok: !this.failed, steps: this.steps };
  }
}

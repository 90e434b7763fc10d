/**
 * A background job an instance runs again and again (cleanups, evaluations): `run` after
 * `firstDelayMs`, then `everyMs` after each run ends (runs never overlap), a failure reported to
 * `onError` and the next run scheduled all the same. `stop()` schedules nothing more and waits
 * for the run under way; `stopped` lets a long run end early. Timers never keep the process up.
 */
export class RepeatingTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  get stopped(): boolean {
    return this.stopping;
  }

  start(everyMs: number, firstDelayMs = everyMs): void {
    const tick = (delay: number) => {
      this.timer = setTimeout(() => {
        this.running = this.run()
          .catch((error: Error) => this.onError(error))
          .finally(() => {
            if (!this.stopping) tick(everyMs);
          });
      }, delay);
      this.timer.unref();
    };
    tick(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }
}

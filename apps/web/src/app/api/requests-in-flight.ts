import { Injectable } from '@angular/core';

/**
 * The signed-in API's requests still waiting for an answer (counted by the auth middleware), so
 * that sign-out can let the page's last requests finish with the token they carry before the
 * session ends under them: a request the API receives after the logout answers 401, which the
 * browser reports in its console.
 */
@Injectable({ providedIn: 'root' })
export class RequestsInFlight {
  private count = 0;
  private readonly waiting: (() => void)[] = [];

  started(): void {
    this.count += 1;
  }

  finished(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) for (const wake of this.waiting.splice(0)) wake();
  }

  /** Resolves once no request is in flight, or after `maxMs` at the latest. */
  settled(maxMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

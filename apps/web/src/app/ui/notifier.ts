import { inject, Injectable } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';

import { type ApiFailure } from '../api/api-result';

/** How long a result stays on screen (it is announced to screen readers as it appears). */
const SHOW_MS = 6000;

/**
 * The outcome of an action as a snack bar at the bottom of the screen: "Uploaded as version 3.",
 * "The schema could not be rolled back: …". The page words the message; a failure stays until
 * it is dismissed, a success goes by itself.
 */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);

  done(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: SHOW_MS, politeness: 'polite' });
  }

  /** `headline` and why: the API's problem detail, or what else happened. */
  failed(headline: string, failure: ApiFailure): void {
    const message = `${headline} ${reasonOf(failure)}`;
    this.snackBar.open(message, 'Dismiss', {
      politeness: 'assertive',
      panelClass: 'ix-snack-failed',
    });
  }
}

/** Why a call failed, in a sentence (the same wording as ProblemMessage). */
export function reasonOf(failure: ApiFailure): string {
  if (failure.problem) return failure.problem.detail;
  if (failure.status === 0) return 'The API could not be reached. Check that Integrixs is running.';
  return `The API answered with status ${failure.status}.`;
}

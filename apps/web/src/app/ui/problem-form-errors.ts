import { Pipe, type PipeTransform } from '@angular/core';
import { type AbstractControl } from '@angular/forms';

import { type ProblemDetails } from '@integrixs/api-client';

import { type ApiFailure } from '../api/api-result';

/** The error key a control carries for a message from the API. */
export const API_ERROR = 'api';

type FieldError = ProblemDetails['errors'][number];

/**
 * Puts the field errors of a problem+json answer (`errors[].path`, e.g. `name` or `tags[0]`) on
 * the form controls they name, as `{ api: message }`, and marks those controls touched so a
 * `<mat-error>` shows the message at once. `aliases` maps an API path to a control path where
 * they differ (`{ document: 'files' }`). A path naming no control falls back to its nearest
 * parent (`tags[0]` → `tags`). Answers the errors no control took, for the form's own alert.
 * The message goes as soon as the user edits the field (Angular recomputes a control's errors
 * from its validators whenever its value changes).
 */
export function applyProblemErrors(
  form: AbstractControl,
  failure: ApiFailure | null,
  aliases: Readonly<Record<string, string>> = {},
): FieldError[] {
  const unmatched: FieldError[] = [];
  for (const error of failure?.problem?.errors ?? []) {
    const control = controlFor(form, aliases[error.path] ?? error.path);
    if (!control) {
      unmatched.push(error);
      continue;
    }
    control.setErrors({ ...control.errors, [API_ERROR]: error.message });
    control.markAsTouched();
  }
  return unmatched;
}

/** `a.b[2].c` → the control at `a.b.2.c`, or the nearest parent that exists; null for none. */
function controlFor(form: AbstractControl, path: string): AbstractControl | null {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part !== '');
  while (parts.length > 0) {
    const control = form.get(parts);
    if (control) return control;
    parts.pop();
  }
  return null;
}

/**
 * The API's message on a control, for `<mat-error>{{ form.controls.name | apiError }}</mat-error>`.
 * Impure: a control's errors change without the control changing.
 */
@Pipe({ name: 'apiError', pure: false })
export class ApiErrorPipe implements PipeTransform {
  transform(control: AbstractControl | null | undefined): string | null {
    const message: unknown = control?.getError(API_ERROR);
    return typeof message === 'string' ? message : null;
  }
}

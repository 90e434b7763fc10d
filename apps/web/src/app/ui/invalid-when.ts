import { Directive, effect, inject, input } from '@angular/core';
import { MatInput } from '@angular/material/input';

/**
 * Marks a Material input invalid (red outline, `aria-invalid="true"`) while `ixInvalidWhen` is
 * true, for fields that are not bound to a form control (the sign-in and enrolment pages keep
 * plain inputs read on submit). Material recomputes the error state by itself only for inputs
 * with a form control, so this sets it from the page's own state.
 */
@Directive({ selector: 'input[matInput][ixInvalidWhen], textarea[matInput][ixInvalidWhen]' })
export class InvalidWhen {
  private readonly input = inject(MatInput);
  readonly ixInvalidWhen = input(false);

  constructor() {
    effect(() => {
      const invalid = this.ixInvalidWhen();
      if (this.input.errorState === invalid) return;
      this.input.errorState = invalid;
      this.input.stateChanges.next(); // the form field redraws its outline
    });
  }
}

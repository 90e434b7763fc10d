import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormArray, FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type ProblemDetails } from '@integrixs/api-client';

import { type ApiFailure } from '../api/api-result';
import { API_ERROR, ApiErrorPipe, applyProblemErrors } from './problem-form-errors';

/** A 422 problem+json answer with these field errors. */
function problem(errors: { path: string; message: string }[]): ApiFailure {
  return {
    status: 422,
    retryAfter: null,
    problem: {
      type: 'https://integrixs.io/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'The request is not valid.',
      instance: '/api/packages',
      code: 'validation_failed',
      errors: errors.map((error) => ({ ...error, code: 'invalid' })),
    } as unknown as ProblemDetails,
  };
}

function packageForm(): FormGroup {
  return new FormGroup({
    name: new FormControl(''),
    description: new FormControl(''),
    tags: new FormArray([new FormControl('a'), new FormControl('b')]),
    owner: new FormGroup({ team: new FormControl('') }),
  });
}

describe('applyProblemErrors', () => {
  it.each([
    ['name', 'name'],
    ['owner.team', 'owner.team'],
    ['tags[1]', 'tags.1'],
    ['tags[7]', 'tags'], // no such entry: the nearest parent that exists
  ])('puts the error on %p onto the control at %p, touched', (path, controlPath) => {
    const form = packageForm();
    const unmatched = applyProblemErrors(form, problem([{ path, message: 'is not allowed' }]));
    const control = form.get(controlPath);
    expect(unmatched).toEqual([]);
    expect(control?.getError(API_ERROR)).toBe('is not allowed');
    expect(control?.touched).toBe(true);
  });

  it('maps an API path onto a differently named control through aliases', () => {
    const form = packageForm();
    applyProblemErrors(form, problem([{ path: 'summary', message: 'too long' }]), {
      summary: 'description',
    });
    expect(form.get('description')?.getError(API_ERROR)).toBe('too long');
  });

  it('answers the errors no control took, for the form to show on its own', () => {
    const form = packageForm();
    const unmatched = applyProblemErrors(
      form,
      problem([
        { path: 'name', message: 'is taken' },
        { path: 'visibility', message: 'must be PRIVATE or PUBLIC' },
      ]),
    );
    expect(unmatched.map((error) => error.path)).toEqual(['visibility']);
  });

  it('keeps the validators’ own errors beside the API’s', () => {
    const form = packageForm();
    form.get('name')?.setErrors({ required: true });
    applyProblemErrors(form, problem([{ path: 'name', message: 'is taken' }]));
    expect(form.get('name')?.errors).toEqual({ required: true, [API_ERROR]: 'is taken' });
  });

  it('does nothing for a failure without problem details (network error)', () => {
    const form = packageForm();
    const failure: ApiFailure = { status: 0, problem: null, retryAfter: null };
    expect(applyProblemErrors(form, failure)).toEqual([]);
    expect(applyProblemErrors(form, null)).toEqual([]);
    expect(form.valid).toBe(true);
  });
});

@Component({
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, ApiErrorPipe],
  template: `
    <form [formGroup]="form">
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput formControlName="name" />
        @if (form.controls.name | apiError; as message) {
          <mat-error>{{ message }}</mat-error>
        }
      </mat-form-field>
    </form>
  `,
})
class NameForm {
  readonly form = new FormGroup({ name: new FormControl('') });
}

describe('a form field showing the API’s message (apiError)', () => {
  it('shows the message under the field, marks the input invalid, and drops it on the next edit', async () => {
    const fixture = TestBed.createComponent(NameForm);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const input = element.querySelector('input') as HTMLInputElement;
    expect(element.querySelector('mat-error')).toBeNull();

    applyProblemErrors(
      fixture.componentInstance.form,
      problem([{ path: 'name', message: 'a package named Orders exists already' }]),
    );
    fixture.changeDetectorRef.markForCheck();
    await fixture.whenStable();
    expect(element.querySelector('mat-error')?.textContent?.trim()).toBe(
      'a package named Orders exists already',
    );
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain(
      element.querySelector('mat-error')?.id ?? 'no error id',
    );

    input.value = 'Orders 2';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(element.querySelector('mat-error')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBe('false');
  });
});

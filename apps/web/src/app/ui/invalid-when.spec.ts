import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { InvalidWhen } from './invalid-when';

@Component({
  imports: [MatFormFieldModule, MatInputModule, InvalidWhen],
  template: `
    <mat-form-field>
      <mat-label>Password</mat-label>
      <input matInput type="password" value="wrong" [ixInvalidWhen]="refused()" />
    </mat-form-field>
  `,
})
class Host {
  readonly refused = signal(false);
}

describe('ixInvalidWhen', () => {
  it('marks a form-control-less Material input invalid while the condition holds', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const input = element.querySelector('input') as HTMLInputElement;
    const field = element.querySelector('mat-form-field') as HTMLElement;
    expect(input.getAttribute('aria-invalid')).toBe('false');

    fixture.componentInstance.refused.set(true);
    await fixture.whenStable();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(field.classList).toContain('mat-form-field-invalid');

    fixture.componentInstance.refused.set(false);
    await fixture.whenStable();
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(field.classList).not.toContain('mat-form-field-invalid');
  });
});

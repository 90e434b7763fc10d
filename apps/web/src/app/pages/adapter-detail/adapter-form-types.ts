import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { FieldArrayType, FieldType, FormlyField } from '@ngx-formly/core';

/** A JSON Schema object: its fields in a fieldset, labelled by the property's name. */
@Component({
  selector: 'ix-formly-object',
  imports: [FormlyField],
  template: `
    @if (props.label) {
      <fieldset class="object">
        <legend>{{ props.label }}</legend>
        @if (props.description) {
          <p class="ix-muted">{{ props.description }}</p>
        }
        @for (f of field.fieldGroup; track $index) {
          <formly-field [field]="f" />
        }
      </fieldset>
    } @else {
      @for (f of field.fieldGroup; track $index) {
        <formly-field [field]="f" />
      }
    }
  `,
  styles: `
    .object {
      display: grid;
      gap: 0.25rem;
      margin: 0 0 1rem;
      padding: 0.75rem 1rem 0;
      border: 1px solid var(--mat-sys-outline-variant, #c4c7c5);
      border-radius: var(--ix-radius, 8px);
    }
    legend {
      padding: 0 0.25rem;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormlyObjectType extends FieldType {}

/** A JSON Schema array: one field per item, with "Add" and "Remove". */
@Component({
  selector: 'ix-formly-array',
  imports: [FormlyField, MatButtonModule],
  template: `
    <fieldset class="array">
      <legend>{{ props.label }}</legend>
      @for (f of field.fieldGroup; track $index; let i = $index) {
        <div class="item">
          <formly-field [field]="f" />
          <button matButton type="button" (click)="remove(i)">Remove</button>
        </div>
      }
      <button matButton="outlined" type="button" (click)="add()">Add</button>
    </fieldset>
  `,
  styles: `
    .array {
      margin: 0 0 1rem;
      padding: 0.75rem 1rem;
      border: 1px solid var(--mat-sys-outline-variant, #c4c7c5);
      border-radius: var(--ix-radius, 8px);
    }
    .item {
      display: flex;
      align-items: baseline;
      gap: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormlyArrayType extends FieldArrayType {}

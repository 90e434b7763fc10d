import { ChangeDetectionStrategy, Component, signal, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { FieldArrayType, FieldType, FormlyField, type FieldTypeConfig } from '@ngx-formly/core';

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

interface KeyValueRow {
  readonly name: string;
  readonly value: string;
}

/**
 * A JSON Schema object of free-form string values (`additionalProperties: { type: string }`,
 * e.g. HTTP headers): a list of name/value rows with "Add" and "Remove". The control holds the
 * object; a row without a name is left out of it.
 */
@Component({
  selector: 'ix-formly-key-value',
  imports: [MatButtonModule],
  template: `
    <fieldset class="key-value" [attr.data-field]="key">
      <legend>{{ props.label }}</legend>
      @for (row of rows(); track $index; let i = $index) {
        <div class="row">
          <label>
            <span class="ix-muted">Name</span>
            <input
              type="text"
              autocomplete="off"
              [attr.aria-label]="props.label + ' ' + (i + 1) + ' name'"
              [value]="row.name"
              [disabled]="formControl.disabled"
              (input)="edit(i, 'name', $event)"
            />
          </label>
          <label>
            <span class="ix-muted">Value</span>
            <input
              type="text"
              autocomplete="off"
              [attr.aria-label]="props.label + ' ' + (i + 1) + ' value'"
              [value]="row.value"
              [disabled]="formControl.disabled"
              (input)="edit(i, 'value', $event)"
            />
          </label>
          @if (!formControl.disabled) {
            <button matButton type="button" (click)="remove(i)">Remove</button>
          }
        </div>
      } @empty {
        <p class="ix-muted">None.</p>
      }
      @if (!formControl.disabled) {
        <button matButton="outlined" type="button" (click)="add()">Add {{ itemLabel() }}</button>
      }
    </fieldset>
  `,
  styles: `
    .key-value {
      margin: 0 0 1rem;
      padding: 0.75rem 1rem;
      border: 1px solid var(--mat-sys-outline-variant, #c4c7c5);
      border-radius: var(--ix-radius, 8px);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 0.5rem;
      margin-bottom: 0.5rem;
    }
    label {
      display: grid;
      gap: 0.125rem;
    }
    input {
      padding: 0.375rem 0.5rem;
      font: inherit;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormlyKeyValueType extends FieldType<FieldTypeConfig> implements OnInit {
  readonly rows = signal<KeyValueRow[]>([]);
  readonly itemLabel = () => (this.props.label ?? '').replace(/s$/, '').toLowerCase() || 'entry';

  ngOnInit(): void {
    const value: unknown = this.formControl.value;
    const entries =
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value as Record<string, unknown>)
        : [];
    this.rows.set(entries.map(([name, v]) => ({ name, value: String(v) })));
  }

  add(): void {
    this.rows.update((rows) => [...rows, { name: '', value: '' }]);
  }

  remove(index: number): void {
    this.rows.update((rows) => rows.filter((_, i) => i !== index));
    this.write();
  }

  edit(index: number, part: keyof KeyValueRow, event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    this.rows.update((rows) =>
      rows.map((row, i) => (i === index ? { ...row, [part]: text } : row)),
    );
    this.write();
  }

  private write(): void {
    const named = this.rows().filter((row) => row.name.trim() !== '');
    const value = Object.fromEntries(named.map((row) => [row.name.trim(), row.value]));
    this.formControl.setValue(named.length > 0 ? value : undefined);
    this.formControl.markAsDirty();
  }
}

import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

import { type SchemaFieldDto } from '@integrixs/api-client';

/** Levels open at first: the roots show their children; deeper fields wait to be expanded. */
const OPEN_DEPTH = 1;

/**
 * One level of a schema's field tree as a nested list. A field's children are rendered only while
 * it is open, so a big tree (UBL Invoice) costs only what the user has expanded.
 */
@Component({
  selector: 'ix-schema-field-tree',
  template: `
    <ul class="tree" [class.nested]="depth() > 0">
      @for (field of fields(); track field.path) {
        <li>
          <div class="field">
            @if (field.children?.length) {
              <button
                class="toggle"
                type="button"
                [attr.aria-expanded]="isOpen(field.path)"
                (click)="toggle(field.path)"
              >
                <span class="chevron" aria-hidden="true"></span>{{ field.name }}
              </button>
            } @else {
              <span class="leaf">{{ field.name }}</span>
            }
            @if (field.type) {
              <span class="type">{{ field.type }}</span>
            }
            @if (field.minOccurs !== undefined || field.maxOccurs !== undefined) {
              <span class="occurs"
                >{{ field.minOccurs ?? 1 }}..{{
                  field.maxOccurs === 'unbounded' ? '*' : (field.maxOccurs ?? 1)
                }}</span
              >
            }
            @if (field.required === true) {
              <span class="note">required</span>
            } @else if (field.required === false) {
              <span class="note">optional</span>
            }
            @if (field.kind === 'attribute') {
              <span class="note">attribute</span>
            }
            @if (field.choice) {
              <span class="note">choice</span>
            }
            @if (field.recursive) {
              <span class="note">recursive</span>
            }
            @if (field.truncated) {
              <span class="note">not expanded further</span>
            }
          </div>
          @if (field.children; as children) {
            @if (children.length > 0 && isOpen(field.path)) {
              <ix-schema-field-tree [fields]="children" [depth]="depth() + 1" />
            }
          }
        </li>
      }
    </ul>
  `,
  styles: `
    .tree {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .nested {
      margin-left: 0.5rem;
      padding-left: 1rem;
      border-left: 1px solid var(--ix-border);
    }
    .field {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.25rem 0.75rem;
      padding: 0.125rem 0;
    }
    .toggle,
    .leaf {
      font-weight: 500;
    }
    .toggle {
      padding: 0;
      border: 0;
      background: none;
      color: var(--ix-link);
      cursor: pointer;
    }
    .chevron::before {
      display: inline-block;
      width: 1rem;
      content: '▸';
    }
    [aria-expanded='true'] .chevron::before {
      content: '▾';
    }
    .leaf {
      padding-left: 1rem;
    }
    .type,
    .occurs,
    .note {
      color: var(--ix-muted);
      font-size: 0.8125rem;
    }
    .type,
    .occurs {
      font-family: ui-monospace, monospace;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemaFieldTree {
  readonly fields = input.required<readonly SchemaFieldDto[]>();
  readonly depth = input(0);

  /** Paths the user has toggled away from their initial state (open above `OPEN_DEPTH`). */
  private readonly toggled = signal<ReadonlySet<string>>(new Set());

  isOpen(path: string): boolean {
    return this.depth() < OPEN_DEPTH !== this.toggled().has(path);
  }

  toggle(path: string): void {
    this.toggled.update((paths) => {
      const next = new Set(paths);
      if (!next.delete(path)) next.add(path);
      return next;
    });
  }
}

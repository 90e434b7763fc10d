import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';

import { type Permission, type Role } from '@integrixs/domain';

import { descriptionOf, grantablePermissions, READ_ONLY, toggled } from './token-permissions';

/**
 * Chooses what an API token may do: a checkbox per permission the owner's role may hand on, in
 * two groups (everywhere / in packages), each with its description, and two shortcuts (read only,
 * everything). Permissions the role does not have are not offered.
 */
@Component({
  selector: 'ix-token-permission-picker',
  imports: [MatButtonModule, MatCheckboxModule],
  template: `
    <fieldset>
      <legend>Permissions</legend>
      <div class="shortcuts">
        <button matButton type="button" (click)="readOnly()">Read only</button>
        <button matButton type="button" (click)="everything()">Everything I may grant</button>
        <button matButton type="button" (click)="selected.set([])">None</button>
      </div>
      @for (group of groups(); track group.title) {
        @if (group.permissions.length > 0) {
          <h3>{{ group.title }}</h3>
          <ul>
            @for (permission of group.permissions; track permission) {
              <li>
                <mat-checkbox
                  [checked]="isSelected(permission)"
                  (change)="set(permission, $event.checked)"
                >
                  <code>{{ permission }}</code> — {{ descriptionOf(permission) }}
                </mat-checkbox>
              </li>
            }
          </ul>
        }
      }
      <p class="ix-hint" aria-live="polite">
        @if (selected().length === 0) {
          Choose at least one permission.
        } @else if (selected().length === 1) {
          1 permission chosen.
        } @else {
          {{ selected().length }} permissions chosen.
        }
      </p>
    </fieldset>
  `,
  styles: `
    fieldset {
      margin: 0 0 1rem;
      padding: 0.5rem 1rem 0.75rem;
      border: 1px solid var(--ix-border);
      border-radius: var(--ix-radius);
    }
    legend {
      font: var(--mat-sys-label-large);
    }
    h3 {
      margin: 0.5rem 0 0;
      font: var(--mat-sys-title-small);
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .shortcuts {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokenPermissionPicker {
  /** The token owner's global role. */
  readonly role = input.required<Role>();
  readonly selected = model<Permission[]>([]);

  readonly grantable = computed(() => grantablePermissions(this.role()));
  readonly groups = computed(() => [
    { title: 'Everywhere', permissions: this.grantable().global },
    {
      title: 'In packages (limited by your role in each package)',
      permissions: this.grantable().package,
    },
  ]);
  private readonly offered = computed(
    () => new Set([...this.grantable().global, ...this.grantable().package]),
  );

  readonly descriptionOf = descriptionOf;

  isSelected(permission: Permission): boolean {
    return this.selected().includes(permission);
  }

  set(permission: Permission, on: boolean): void {
    this.selected.update((selected) => toggled(selected, permission, on));
  }

  readOnly(): void {
    this.selected.set(READ_ONLY.filter((permission) => this.offered().has(permission)));
  }

  everything(): void {
    this.selected.set([...this.grantable().global, ...this.grantable().package]);
  }
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type MeDto } from '@integrixs/api-client';

/** The display name of a role (libs/domain `ROLES`). */
@Component({
  selector: 'ix-role-label',
  template: `
    @switch (role()) {
      @case ('ADMINISTRATOR') {
        Administrator
      }
      @case ('DEVELOPER') {
        Developer
      }
      @case ('INTEGRATOR') {
        Integrator
      }
      @case ('VIEWER') {
        Viewer
      }
      @default {
        {{ role() }}
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoleLabel {
  readonly role = input.required<MeDto['role']>();
}

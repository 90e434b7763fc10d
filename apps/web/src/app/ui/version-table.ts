import { DatePipe, NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  contentChild,
  input,
  TemplateRef,
} from '@angular/core';

import { type SchemaVersionDto, type SchemaVersionPageDto } from '@integrixs/api-client';

/**
 * A version history, newest first: version, author, message and date, then the row's actions
 * (the projected `<ng-template let-version>`, e.g. compare or roll back), and a note when the
 * page holds only the newest versions.
 */
@Component({
  selector: 'ix-version-table',
  imports: [DatePipe, NgTemplateOutlet],
  template: `
    <table class="versions">
      <caption class="ix-visually-hidden">
        {{
          caption()
        }}
      </caption>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Author</th>
          <th scope="col">Message</th>
          <th scope="col">Date</th>
          <th scope="col"><span class="ix-visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        @for (version of page().items; track version.version) {
          <tr>
            <th scope="row">{{ version.version }}</th>
            <td>{{ version.author }}</td>
            <td>{{ version.message || '—' }}</td>
            <td>
              <time [attr.datetime]="version.createdAt">{{
                version.createdAt | date: 'medium'
              }}</time>
            </td>
            <td>
              @if (actions(); as actions) {
                <ng-container
                  [ngTemplateOutlet]="actions"
                  [ngTemplateOutletContext]="{ $implicit: version }"
                />
              }
            </td>
          </tr>
        }
      </tbody>
    </table>
    @if (page().nextCursor) {
      <p class="ix-muted more">
        Showing the newest {{ page().items.length }} of {{ page().total }} versions.
      </p>
    }
  `,
  styles: `
    .more {
      margin: 0.75rem 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VersionTable {
  readonly page = input.required<SchemaVersionPageDto>();
  /** What the table holds, for screen readers: "The schema's versions, newest first". */
  readonly caption = input.required<string>();
  readonly actions = contentChild<TemplateRef<{ $implicit: SchemaVersionDto }>>(TemplateRef);
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type SchemaProblemDto } from '@integrixs/api-client';

/** Why a schema does not compile: each problem with where it is (`file:line:column` or pointer). */
@Component({
  selector: 'ix-schema-problems',
  template: `
    <ol class="problems" aria-label="Problems">
      @for (problem of problems(); track $index) {
        <li>
          @if (whereOf(problem); as where) {
            <code class="where">{{ where }}</code>
          }
          {{ problem.message }}
        </li>
      }
    </ol>
  `,
  styles: `
    .problems {
      margin: 0 0 0.5rem;
      padding-left: 1.5rem;
    }
    .where {
      margin-right: 0.25rem;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemaProblems {
  readonly problems = input.required<readonly SchemaProblemDto[]>();

  /** `a.xsd:3:5`, `a.json#/properties/id`, or '' when the API could not locate it. */
  whereOf(problem: SchemaProblemDto): string {
    const place = [problem.file, problem.line, problem.column]
      .filter((part) => part !== undefined)
      .join(':');
    const pointer = problem.pointer ? `#${problem.pointer.replace(/^#/, '')}` : '';
    return place + pointer;
  }
}

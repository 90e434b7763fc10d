import { DecimalPipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type MappingTestResultDto } from '@integrixs/api-client';

import { CodeEditor, type CodeLanguage } from '../../ui/code-editor/code-editor';

/**
 * What one run of a mapping gave: passed or failed and in how long, the run error, the input and
 * output validation errors with their paths, the differences from the expected output, and the
 * output itself.
 */
@Component({
  selector: 'ix-mapping-test-result',
  imports: [DecimalPipe, JsonPipe, CodeEditor],
  template: `
    @let run = result();
    <div class="verdict" [class.passed]="run.passed" role="status">
      <strong>{{ run.passed ? 'Passed' : 'Failed' }}</strong>
      @if (run.sampleName) {
        — {{ run.sampleName }}
      }
      <span class="ix-muted">in {{ run.durationMs | number: '1.0-1' }} ms</span>
    </div>
    @if (run.error; as error) {
      <p class="error" role="alert">
        The mapping failed while running ({{ error.code
        }}{{ error.location ? ', ' + error.location : '' }}): {{ error.message }}
      </p>
    }
    @if (!run.inputValid) {
      <h4>The input is not valid against the source schema</h4>
      <ul class="errors" aria-label="Input errors">
        @for (problem of run.inputErrors; track $index) {
          <li>
            @if (problem.path) {
              <code>{{ problem.path }}</code>:
            }
            {{ problem.message }}
          </li>
        }
      </ul>
    }
    @if (run.outputValid === false) {
      <h4>The output is not valid against the target schema</h4>
      <ul class="errors" aria-label="Output errors">
        @for (problem of run.outputErrors; track $index) {
          <li>
            @if (problem.path) {
              <code>{{ problem.path }}</code>:
            }
            {{ problem.message }}
          </li>
        }
      </ul>
    } @else if (run.outputValid) {
      <p>The output is valid against the target schema.</p>
    }
    @if (run.diff; as diff) {
      @if (diff.length === 0) {
        <p>The output equals the expected output.</p>
      } @else {
        <table>
          <caption>
            Differences from the expected output
          </caption>
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Difference</th>
              <th scope="col">Expected</th>
              <th scope="col">Actual</th>
            </tr>
          </thead>
          <tbody>
            @for (entry of diff; track $index) {
              <tr>
                <th scope="row">
                  <code>{{ entry.path }}</code>
                </th>
                <td>{{ entry.op }}</td>
                <td>
                  <code>{{ entry.op === 'added' ? '—' : (entry.expected | json) }}</code>
                </td>
                <td>
                  <code>{{ entry.op === 'removed' ? '—' : (entry.actual | json) }}</code>
                </td>
              </tr>
            }
          </tbody>
        </table>
      }
    }
    @if (run.output !== null) {
      <h4>Output</h4>
      <ix-code-editor
        [label]="'Output' + (run.sampleName ? ' of ' + run.sampleName : '')"
        [language]="outputLanguage()"
        [value]="run.output"
        [readOnly]="true"
        [lineNumbers]="true"
      />
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .verdict {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      padding: 0.5rem 0.75rem;
      border-radius: var(--ix-radius);
      background: var(--ix-danger-surface);
      color: var(--ix-on-danger-surface);
    }
    .verdict.passed {
      background: var(--ix-notice-surface);
      color: var(--ix-on-notice-surface);
    }
    .verdict .ix-muted {
      color: inherit;
    }
    .error {
      color: var(--ix-danger);
    }
    h4 {
      margin: 0.75rem 0 0.25rem;
      font: var(--mat-sys-title-small);
    }
    .errors {
      margin: 0;
      padding-left: 1.25rem;
    }
    caption {
      text-align: left;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingTestResult {
  readonly result = input.required<MappingTestResultDto>();
  readonly outputLanguage = input<CodeLanguage>('json');
}

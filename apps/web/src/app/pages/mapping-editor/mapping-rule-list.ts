import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  viewChildren,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { CodeEditor } from '../../ui/code-editor/code-editor';
import { MappingDraft } from './mapping-draft';
import { ruleIndexOf } from './mapping-rules';

/**
 * The rules of a JSONata mapping, `target ← expression`, each expression in a code editor with
 * the last save's errors inline and the warnings (source fields the schema lacks) under it.
 */
@Component({
  selector: 'ix-mapping-rule-list',
  imports: [MatButtonModule, CodeEditor],
  template: `
    @if (draft.rules().length === 0) {
      <div class="ix-state">
        <p>
          No rules yet. Pick a source field, then a target field (or drag the source field onto the
          target field) to map it.
        </p>
      </div>
    } @else {
      <ol class="rules" aria-label="Rules">
        @for (rule of draft.rules(); track $index; let i = $index) {
          <li [attr.aria-label]="'Rule for ' + rule.target">
            <div class="rule-head">
              <code class="target">{{ rule.target }}</code>
              <span aria-hidden="true">←</span>
              @if (editable()) {
                <button
                  matButton
                  type="button"
                  [attr.aria-label]="'Remove the rule for ' + rule.target"
                  (click)="draft.removeRule(i)"
                >
                  Remove
                </button>
              }
            </div>
            <ix-code-editor
              language="jsonata"
              [label]="'Expression for ' + rule.target"
              [value]="rule.expression"
              [readOnly]="!editable()"
              [diagnostics]="draft.ruleDiagnostics().get(i) ?? []"
              (valueChange)="draft.setExpression(i, $event)"
            />
            @for (warning of warningsOf(i); track $index) {
              <p class="warning">Warning: {{ warning }}</p>
            }
          </li>
        }
      </ol>
    }
  `,
  styles: `
    .rules {
      display: grid;
      gap: 0.75rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .rule-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.5rem;
    }
    .target {
      font-weight: 600;
    }
    .rule-head button {
      margin-left: auto;
    }
    .warning {
      margin: 0.25rem 0 0;
      color: var(--ix-muted);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingRuleList {
  readonly draft = inject(MappingDraft);
  readonly editable = input(true);

  private readonly editors = viewChildren(CodeEditor);
  private readonly warnings = computed(() => {
    const byRule = new Map<number, string[]>();
    for (const warning of this.draft.warnings()) {
      const index = ruleIndexOf(warning.location);
      if (index !== null) byRule.set(index, [...(byRule.get(index) ?? []), warning.message]);
    }
    return byRule;
  });

  constructor() {
    // The rule a pick made takes the focus, so its expression can be edited at once.
    effect(() => {
      const index = this.draft.lastRule();
      const editor = index === null ? undefined : this.editors()[index];
      if (editor) {
        editor.focus();
        this.draft.lastRule.set(null);
      }
    });
  }

  warningsOf(index: number): string[] {
    return this.warnings().get(index) ?? [];
  }
}

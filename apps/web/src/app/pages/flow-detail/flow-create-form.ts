import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';

import { type ApiFailure } from '../../api/api-result';
import { FlowsApi } from '../../api/flows-api.service';
import { CodeEditor, type CodeDiagnostic } from '../../ui/code-editor/code-editor';
import { ProblemMessage } from '../../ui/problem-message';
import { EXAMPLE_GRAPH } from './flow-picture';

/** The `:flowId` of a flow not saved yet. */
export const NEW_FLOW = 'new';

/**
 * A minimal "create flow" form: a name and the graph as JSON (`{ nodes, edges }`) in a code
 * editor, until the visual designer comes. A shape error (400) names each field by JSON pointer;
 * a saved flow opens at its own address, problems and all.
 */
@Component({
  selector: 'ix-flow-create-form',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    CodeEditor,
    ProblemMessage,
  ],
  template: `
    <form class="ix-card" aria-labelledby="new-flow-heading" (ngSubmit)="save()">
      <h1 id="new-flow-heading">New flow</h1>
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput name="flow-name" required [(ngModel)]="name" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Description</mat-label>
        <input matInput name="flow-description" [(ngModel)]="description" />
      </mat-form-field>
      <p id="graph-help" class="help">
        The graph as JSON: <code>nodes</code> (<code>id</code>, <code>kind</code>,
        <code>position</code> and the settings of the kind) and
        <code>edges</code> (<code>from</code>, <code>to</code>, <code>branch</code>). Replace the
        placeholder asset ids with your adapters'. A graph with problems is saved as a draft.
      </p>
      <ix-code-editor
        label="Flow graph (JSON)"
        language="json"
        [lineNumbers]="true"
        [value]="graph()"
        [diagnostics]="diagnostics()"
        (valueChange)="graph.set($event)"
      />
      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure">The flow was not created.</ix-problem-message>
      }
      <div class="actions">
        <button matButton="filled" type="submit" [disabled]="!canSave()">Create flow</button>
      </div>
    </form>
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
    }
    .help {
      margin: 0;
      color: var(--ix-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowCreateForm {
  private readonly api = inject(FlowsApi);
  private readonly router = inject(Router);

  readonly packageId = input.required<string>();

  readonly name = signal('');
  readonly description = signal('');
  readonly graph = signal(JSON.stringify(EXAMPLE_GRAPH, null, 2));
  readonly saving = signal(false);
  readonly failure = signal<ApiFailure | null>(null);

  /** The graph's JSON syntax error, or the fields the API named in its 400. */
  readonly diagnostics = computed<CodeDiagnostic[]>(() => {
    const parsed = this.parsed();
    if ('error' in parsed) return [{ from: 0, to: 0, message: parsed.error }];
    const errors = this.failure()?.problem?.errors ?? [];
    return errors.map((error) => ({ from: 0, to: 0, message: `${error.path}: ${error.message}` }));
  });
  readonly canSave = computed(
    () => !this.saving() && this.name().trim() !== '' && !('error' in this.parsed()),
  );

  private readonly parsed = computed((): { nodes: unknown; edges: unknown } | { error: string } => {
    try {
      const value: unknown = JSON.parse(this.graph());
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { error: 'The graph must be a JSON object with nodes and edges.' };
      const { nodes, edges } = value as Record<string, unknown>;
      return { nodes, edges };
    } catch (error) {
      return { error: `Not valid JSON: ${(error as Error).message}` };
    }
  });

  async save(): Promise<void> {
    const parsed = this.parsed();
    if (!this.canSave() || 'error' in parsed) return;
    this.saving.set(true);
    this.failure.set(null);
    const result = await this.api.create(this.packageId(), {
      name: this.name().trim(),
      ...(this.description().trim() ? { description: this.description().trim() } : {}),
      // The API checks the shape and answers 400 naming each wrong field.
      nodes: parsed.nodes as never,
      edges: parsed.edges as never,
    });
    this.saving.set(false);
    if (!result.ok) {
      this.failure.set(result.failure);
      return;
    }
    await this.router.navigate(['/packages', this.packageId(), 'flows', result.data.id]);
  }
}

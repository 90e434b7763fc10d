import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { Router } from '@angular/router';

import { type SchemaProblemDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import {
  schemaProblemsOf,
  SchemasApi,
  type NewSchema,
  type SchemaUpload,
} from '../../api/schemas-api.service';
import { ProblemMessage } from '../../ui/problem-message';
import { SchemaProblems } from '../../ui/schema-problems';
import { SchemaUploadInput } from '../../ui/schema-upload-input';

/**
 * "Add schema": a name, a type, an optional description and the files; the API compiles them first, so a schema that does
 * not compile comes back with every problem located. A new schema opens its page.
 */
@Component({
  selector: 'ix-add-schema-form',
  imports: [ProblemMessage, SchemaProblems, SchemaUploadInput],
  template: `
    <form novalidate aria-labelledby="add-schema-heading" (submit)="submit($event)">
      <h3 id="add-schema-heading">Add a schema</h3>
      <div class="ix-field">
        <label for="schema-name">Name</label>
        <input
          id="schema-name"
          class="ix-input"
          name="name"
          type="text"
          autocomplete="off"
          required
          [value]="name()"
          (input)="name.set(valueOf($event))"
        />
      </div>
      <div class="ix-field">
        <label for="schema-type">Type</label>
        <select
          id="schema-type"
          class="ix-input"
          name="type"
          [value]="type()"
          (change)="type.set(typeOf($event))"
        >
          <option value="XSD">XSD</option>
          <option value="WSDL">WSDL</option>
          <option value="JSON_SCHEMA">JSON Schema</option>
        </select>
      </div>
      <div class="ix-field">
        <label for="schema-description">Description (optional)</label>
        <textarea
          id="schema-description"
          class="ix-input"
          name="description"
          rows="3"
          [attr.maxlength]="descriptionMax"
          [value]="description()"
          (input)="description.set(valueOf($event))"
        ></textarea>
      </div>
      <ix-schema-upload-input (upload)="upload.set($event)" />

      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure">
          The schema could not be added.
          @if (problems().length > 0) {
            <ix-schema-problems actions [problems]="problems()" />
          }
        </ix-problem-message>
      }

      <div class="actions">
        <button
          class="ix-button ix-primary"
          type="submit"
          [disabled]="busy() || !name().trim() || !upload()"
          [attr.aria-busy]="busy()"
        >
          @if (busy()) {
            Adding…
          } @else {
            Add schema
          }
        </button>
        <button class="ix-button" type="button" (click)="cancelled.emit()">Cancel</button>
      </div>
    </form>
  `,
  styles: `
    form {
      max-width: 32rem;
      margin-top: 1rem;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      margin-top: 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddSchemaForm {
  private readonly api = inject(SchemasApi);
  private readonly router = inject(Router);

  readonly packageId = input.required<string>();
  readonly cancelled = output();

  readonly name = signal('');
  readonly type = signal<NewSchema['type']>('XSD');
  readonly description = signal('');
  /** The API's limit on a description. */
  readonly descriptionMax = 2000;
  readonly upload = signal<SchemaUpload | null>(null);
  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly problems = signal<SchemaProblemDto[]>([]);

  valueOf(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
  }

  typeOf(event: Event): NewSchema['type'] {
    return (event.target as HTMLSelectElement).value as NewSchema['type'];
  }

  submit(event: Event): void {
    event.preventDefault();
    const upload = this.upload();
    const name = this.name().trim();
    if (this.busy() || !upload || !name) return;
    const description = this.description().trim();
    void this.add({ name, type: this.type(), ...(description ? { description } : {}) }, upload);
  }

  private async add(schema: NewSchema, upload: SchemaUpload): Promise<void> {
    const packageId = this.packageId();
    this.busy.set(true);
    this.failure.set(null);
    const outcome = await this.api.create(packageId, schema, upload);
    this.busy.set(false);
    if (!outcome.ok) {
      this.failure.set(outcome.failure);
      this.problems.set(schemaProblemsOf(outcome.failure));
      return;
    }
    await this.router.navigate(['/packages', packageId, 'schemas', outcome.data.id]);
  }
}

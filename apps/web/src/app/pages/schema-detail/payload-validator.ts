import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type PayloadValidationDto, type SchemaDetailDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { SchemasApi, type PayloadKind } from '../../api/schemas-api.service';
import { ProblemMessage } from '../../ui/problem-message';

/**
 * "Validate a payload": the text is sent as it is to `…/validate` (XML for XSD and WSDL, JSON for
 * JSON Schema), and the answer shown as "Valid" or its errors with line and column or path.
 * A WSDL needs the message to validate (`?root=`); an XSD may name its root element.
 */
@Component({
  selector: 'ix-payload-validator',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, ProblemMessage],
  template: `
    <form class="ix-form wide" novalidate (submit)="submit($event)">
      @if (schemaType() !== 'JSON_SCHEMA') {
        <mat-form-field>
          <mat-label>
            @if (schemaType() === 'WSDL') {
              Message
            } @else {
              Root element (optional)
            }
          </mat-label>
          <input
            matInput
            name="root"
            type="text"
            autocomplete="off"
            spellcheck="false"
            list="validate-roots"
            [required]="schemaType() === 'WSDL'"
            [value]="root()"
            (input)="root.set(valueOf($event))"
          />
          <datalist id="validate-roots">
            @for (name of roots(); track name) {
              <option [value]="name"></option>
            }
          </datalist>
          <mat-hint>
            @if (schemaType() === 'WSDL') {
              The message the payload is, e.g. GetWeatherRequest or GetWeather/input. A SOAP
              envelope is unwrapped.
            } @else {
              The global element the document must be; any global element when left empty.
            }
          </mat-hint>
        </mat-form-field>
      }
      <mat-form-field>
        <mat-label>
          @if (schemaType() === 'JSON_SCHEMA') {
            Payload (JSON)
          } @else {
            Payload (XML)
          }
        </mat-label>
        <textarea
          matInput
          class="payload"
          name="payload"
          rows="10"
          spellcheck="false"
          [value]="payload()"
          (input)="payload.set(valueOf($event))"
        ></textarea>
      </mat-form-field>
      <button
        matButton="filled"
        type="submit"
        [disabled]="busy() || !ready()"
        [attr.aria-busy]="busy()"
      >
        @if (busy()) {
          Validating…
        } @else {
          Validate
        }
      </button>
    </form>

    <div class="outcome" aria-live="polite">
      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure"
          >The payload could not be validated.</ix-problem-message
        >
      } @else if (result(); as result) {
        @if (result.valid) {
          <p class="verdict valid">Valid</p>
          <p class="ix-hint">Against version {{ result.version }}.</p>
        } @else {
          <p class="verdict invalid">
            Not valid:
            @if (result.errors.length === 1) {
              1 error
            } @else {
              {{ result.errors.length }} errors
            }
          </p>
          <ol class="errors" aria-label="Errors">
            @for (error of result.errors; track $index) {
              <li>
                @if (error.line !== undefined) {
                  <span class="where"
                    >Line {{ error.line
                    }}{{ error.column !== undefined ? ', column ' + error.column : '' }}:</span
                  >
                } @else if (error.path) {
                  <code class="where">{{ error.path }}</code>
                }
                {{ error.message }}
                @if (error.line !== undefined && error.path) {
                  <code class="path">{{ error.path }}</code>
                }
              </li>
            }
          </ol>
        }
      }
    </div>
  `,
  styles: `
    .wide {
      max-width: none;
    }
    .payload {
      font-family: ui-monospace, monospace;
      font-size: 0.875rem;
      resize: vertical;
    }
    .outcome {
      margin-top: 1rem;
    }
    .outcome:empty {
      display: none;
    }
    .verdict {
      margin: 0 0 0.25rem;
      font-weight: 600;
    }
    .valid {
      color: var(--ix-success);
    }
    .invalid {
      color: var(--ix-danger);
    }
    .errors {
      margin: 0;
      padding-left: 1.5rem;
    }
    .where {
      font-weight: 600;
    }
    .path {
      color: var(--ix-muted);
      font-size: 0.8125rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PayloadValidator {
  private readonly api = inject(SchemasApi);

  readonly packageId = input.required<string>();
  readonly schemaId = input.required<string>();
  readonly schemaType = input.required<SchemaDetailDto['schemaType']>();
  /** Suggestions for the root: the XSD's root elements or the WSDL's messages. */
  readonly roots = input<readonly string[]>([]);

  readonly payload = signal('');
  readonly root = signal('');
  readonly busy = signal(false);
  /** The last answer; cleared when another schema is shown. */
  readonly result = linkedSignal<string, PayloadValidationDto | null>({
    source: this.schemaId,
    computation: () => null,
  });
  readonly failure = linkedSignal<string, ApiFailure | null>({
    source: this.schemaId,
    computation: () => null,
  });

  /** Something to send, and the message a WSDL needs. */
  readonly ready = computed(
    () =>
      this.payload().trim() !== '' && (this.schemaType() !== 'WSDL' || this.root().trim() !== ''),
  );

  valueOf(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
  }

  submit(event: Event): void {
    event.preventDefault();
    if (this.busy() || !this.ready()) return;
    const type = this.schemaType();
    const root = type === 'JSON_SCHEMA' ? '' : this.root().trim();
    void this.run(this.payload(), type === 'JSON_SCHEMA' ? 'json' : 'xml', root || undefined);
  }

  private async run(payload: string, kind: PayloadKind, root: string | undefined): Promise<void> {
    const schemaId = this.schemaId();
    this.busy.set(true);
    const outcome = await this.api.validate(this.packageId(), schemaId, payload, kind, root);
    this.busy.set(false);
    if (this.schemaId() !== schemaId) return; // another schema is shown meanwhile
    this.result.set(outcome.ok ? outcome.data : null);
    this.failure.set(outcome.ok ? null : outcome.failure);
  }
}

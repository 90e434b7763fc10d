import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormlyForm, type FormlyFieldConfig } from '@ngx-formly/core';
import { FormlyJsonschema } from '@ngx-formly/core/json-schema';

import {
  type AdapterDetailDto,
  type AssetDto,
  type AssetSearchResultDto,
  type CreateAdapterDto,
} from '@integrixs/api-client';
import { ADAPTER_CONFIG_SCHEMAS, ADAPTER_DIRECTIONS, ADAPTER_TYPES } from '@integrixs/domain';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiFailure } from '../../api/api-result';
import { ConflictResolver, pickFields } from '../../ui/conflict-dialog';
import { ApiErrorPipe, applyProblemErrors } from '../../ui/problem-form-errors';
import { ProblemMessage } from '../../ui/problem-message';
import {
  applyPointerErrors,
  configurationFields,
  configurationOf,
  formModelOf,
  setSecrets,
  type WsdlOption,
} from './adapter-form-fields';

type AdapterType = CreateAdapterDto['adapterType'];
type Direction = CreateAdapterDto['direction'];
type Binding = 'request' | 'response' | 'message';

/** The fields a conflict dialog compares between the user's adapter and the saved one. */
const ADAPTER_FIELD_LABELS = {
  name: 'Name',
  description: 'Description',
  direction: 'Direction',
  schemas: 'Schemas',
} as const;

/**
 * An adapter's fields for the conflict dialog, each configuration setting on its own row. Only
 * the settings the user sends are compared (secrets left out are kept as they are); one the saved
 * version lacks counts as the form's default (`mine`'s value), not as a difference.
 */
function conflictFieldsOf(
  source: object,
  configuration: Readonly<Record<string, unknown>>,
  mine: Readonly<Record<string, unknown>> = configuration,
): Record<string, unknown> {
  return {
    ...pickFields(source, ADAPTER_FIELD_LABELS),
    ...Object.fromEntries(
      Object.keys(mine).map((key) => [`Configuration: ${key}`, configuration[key] ?? mine[key]]),
    ),
  };
}

/**
 * An adapter's name, type, direction, schema bindings and configuration, the configuration form
 * rendered from the type's JSON Schema. Creates one (`adapter` null) or saves a new version
 * (optimistic: a 412 opens the conflict dialog: reload theirs, or overwrite with mine). A 422 puts each message on the field it points at.
 * Read-only without `canWrite`.
 */
@Component({
  selector: 'ix-adapter-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    FormlyForm,
    ApiErrorPipe,
    ProblemMessage,
  ],
  template: `
    <form class="ix-form" novalidate [formGroup]="form" (ngSubmit)="submit()">
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput formControlName="name" autocomplete="off" required />
        @if (form.controls.name | apiError; as message) {
          <mat-error>{{ message }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Description</mat-label>
        <input matInput formControlName="description" autocomplete="off" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Adapter type</mat-label>
        <select matNativeControl formControlName="adapterType">
          @for (type of types; track type) {
            <option [value]="type">{{ type }}</option>
          }
        </select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Direction</mat-label>
        <select matNativeControl formControlName="direction">
          @for (direction of directions; track direction) {
            <option [value]="direction">{{ direction }}</option>
          }
        </select>
      </mat-form-field>

      <fieldset class="bindings" formGroupName="schemas">
        <legend>Schema bindings</legend>
        @for (binding of bindings; track binding.key) {
          <mat-form-field>
            <mat-label>{{ binding.label }}</mat-label>
            <select matNativeControl [formControlName]="binding.key">
              <option value="">None</option>
              @for (schema of schemas(); track schema.id) {
                <option [value]="schema.id">{{ schema.name }}</option>
              }
            </select>
            @if (form.controls.schemas.controls[binding.key] | apiError; as message) {
              <mat-error>{{ message }}</mat-error>
            }
          </mat-form-field>
        }
      </fieldset>

      <h3>Configuration</h3>
      <formly-form
        [form]="config()"
        [fields]="fields()"
        [model]="model()"
        [options]="{ formState: { readOnly: !canWrite() } }"
      />

      @if (failure(); as failure) {
        <ix-problem-message [failure]="failure">
          @if (adapter()) {
            The adapter could not be saved.
          } @else {
            The adapter could not be created.
          }
          @for (error of unmatched(); track error.path) {
            <span actions class="unmatched">{{ error.path }}: {{ error.message }}</span>
          }
          @if (failure.status === 412) {
            <button actions matButton="outlined" type="button" (click)="reload.emit()">
              Reload
            </button>
          }
        </ix-problem-message>
      }

      @if (canWrite()) {
        <div class="ix-actions">
          <button matButton="filled" type="submit" [disabled]="busy()" [attr.aria-busy]="busy()">
            @if (busy()) {
              Saving…
            } @else if (adapter()) {
              Save
            } @else {
              Create adapter
            }
          </button>
        </div>
      }
    </form>
  `,
  styles: `
    .bindings {
      display: grid;
      gap: 0.25rem;
      margin: 0 0 1rem;
      padding: 0.75rem 1rem 0;
      border: 1px solid var(--mat-sys-outline-variant, #c4c7c5);
      border-radius: var(--ix-radius, 8px);
    }
    .unmatched {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdapterForm {
  private readonly api = inject(AdaptersApi);
  private readonly formlyJsonschema = inject(FormlyJsonschema);

  readonly packageId = input.required<string>();
  /** The adapter to edit, or null to create one. */
  readonly adapter = input<AdapterDetailDto | null>(null);
  /** The package's schemas, to bind. */
  readonly schemas = input<readonly AssetDto[]>([]);
  /** The WSDL schemas the caller can read, in any package (a SOAP adapter's `wsdlAssetId`). */
  readonly wsdls = input<readonly AssetSearchResultDto[]>([]);
  readonly canWrite = input(false);
  readonly saved = output<AdapterDetailDto>();
  /** The adapter was changed by someone else (412): the page should load it again. */
  readonly reload = output();
  /** The user chose "Reload theirs" in the conflict dialog: the saved version, to show. */
  readonly reloaded = output<AdapterDetailDto>();
  private readonly conflicts = inject(ConflictResolver);

  /** The readable WSDLs, and the one the adapter names when the list lacks it (shown by id). */
  readonly wsdlOptions = computed<WsdlOption[]>(() => {
    const options = this.wsdls().map((wsdl) => ({
      value: wsdl.id,
      label: `${wsdl.name} (${wsdl.packageName})`,
    }));
    const named = this.adapter()?.configuration['wsdlAssetId'];
    return typeof named === 'string' && !options.some((o) => o.value === named)
      ? [...options, { value: named, label: named }]
      : options;
  });
  readonly types = ADAPTER_TYPES;
  readonly directions = ADAPTER_DIRECTIONS;
  readonly bindings: { key: Binding; label: string }[] = [
    { key: 'request', label: 'Request schema' },
    { key: 'response', label: 'Response schema' },
    { key: 'message', label: 'Message schema' },
  ];

  readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [(control) => Validators.required(control)],
    }),
    description: new FormControl('', { nonNullable: true }),
    adapterType: new FormControl<AdapterType>('FILE', { nonNullable: true }),
    direction: new FormControl<Direction>('SOURCE', { nonNullable: true }),
    schemas: new FormGroup({
      request: new FormControl('', { nonNullable: true }),
      response: new FormControl('', { nonNullable: true }),
      message: new FormControl('', { nonNullable: true }),
    }),
  });
  readonly type = signal<AdapterType>('FILE');
  /** A fresh group and model per type: one type's fields never leak into another's. */
  readonly config = computed(() => {
    this.type();
    return new FormGroup({});
  });
  readonly model = computed<Record<string, unknown>>(() => {
    // The type is read first: a new adapter gets a fresh model per type too (no leaked defaults).
    const type = this.type();
    const adapter = this.adapter();
    return adapter && adapter.adapterType === type ? formModelOf(adapter.configuration) : {};
  });
  readonly fields = computed<FormlyFieldConfig[]>(() => {
    const adapter = this.adapter();
    const set =
      adapter && adapter.adapterType === this.type()
        ? setSecrets(adapter.configuration)
        : new Set<string>();
    const schema = ADAPTER_CONFIG_SCHEMAS[this.type()];
    return [configurationFields(this.formlyJsonschema, schema, set, this.wsdlOptions())];
  });

  readonly busy = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly unmatched = signal<{ path: string; message: string }[]>([]);

  constructor() {
    this.form.controls.adapterType.valueChanges.subscribe((type) => this.type.set(type));
    effect(() => {
      const adapter = this.adapter();
      if (adapter) {
        this.form.reset({
          name: adapter.name,
          description: adapter.description,
          adapterType: adapter.adapterType,
          direction: adapter.direction,
          schemas: {
            request: adapter.schemas.request ?? '',
            response: adapter.schemas.response ?? '',
            message: adapter.schemas.message ?? '',
          },
        });
        this.form.controls.adapterType.disable();
      }
      this.type.set(this.form.controls.adapterType.value);
      this.failure.set(null);
    });
    effect(() => {
      if (this.canWrite()) {
        this.form.enable({ emitEvent: false });
        if (this.adapter()) this.form.controls.adapterType.disable({ emitEvent: false });
      } else this.form.disable({ emitEvent: false });
    });
  }

  submit(): void {
    if (this.busy() || !this.canWrite()) return;
    this.form.markAllAsTouched();
    this.config().markAllAsTouched();
    if (this.form.invalid) return;
    void this.send();
  }

  private async send(): Promise<void> {
    const value = this.form.getRawValue();
    const schemas = Object.fromEntries(
      Object.entries(value.schemas).filter(([, id]) => id !== ''),
    ) as Partial<Record<Binding, string>>;
    const body = {
      name: value.name.trim(),
      description: value.description.trim(),
      direction: value.direction,
      configuration: configurationOf(this.model()) as CreateAdapterDto['configuration'],
      schemas,
    };
    const adapter = this.adapter();
    this.busy.set(true);
    this.failure.set(null);
    this.unmatched.set([]);
    let outcome = adapter
      ? await this.api.update(adapter.packageId, adapter.id, adapter.version, body)
      : await this.api.create(this.packageId(), { ...body, adapterType: value.adapterType });
    if (adapter && !outcome.ok && outcome.failure.status === 412) {
      const { choice, theirs } = await this.conflicts.resolve({
        what: `The adapter ${adapter.name}`,
        mine: conflictFieldsOf(body, body.configuration),
        loadTheirs: () => this.api.get(adapter.packageId, adapter.id),
        fieldsOf: (current) => conflictFieldsOf(current, current.configuration, body.configuration),
        describe: (current) => ({
          by: current.updatedByName ?? current.updatedBy,
          at: current.updatedAt,
          version: current.version,
        }),
      });
      if (choice === 'reload' && theirs) {
        this.busy.set(false);
        this.reloaded.emit(theirs);
        return;
      }
      if (choice === 'overwrite' && theirs)
        outcome = await this.api.update(adapter.packageId, adapter.id, theirs.version, body);
    }
    this.busy.set(false);
    if (!outcome.ok) {
      this.failure.set(outcome.failure);
      const [root] = this.fields();
      const rest = root ? applyPointerErrors(root, outcome.failure) : [];
      const restFailure = {
        ...outcome.failure,
        problem: outcome.failure.problem && {
          ...outcome.failure.problem,
          errors: rest.map((e) => ({
            ...e,
            code: '',
            path: e.path.replace(/^\//, '').replace(/\//g, '.'),
          })),
        },
      };
      this.unmatched.set(applyProblemErrors(this.form, restFailure));
      return;
    }
    this.saved.emit(outcome.data);
  }
}

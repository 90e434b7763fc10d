import { JsonPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { FormGroup } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { FormlyForm, type FormlyFieldConfig } from '@ngx-formly/core';
import { FormlyJsonschema } from '@ngx-formly/core/json-schema';

import {
  type AdapterDetailDto,
  type EffectiveConfigDto,
  type EnvironmentDto,
} from '@integrixs/api-client';
import { ADAPTER_CONFIG_SCHEMAS, secretPointers } from '@integrixs/domain';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiFailure } from '../../api/api-result';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';
import { AdapterCredentialsForm } from './adapter-credentials-form';
import {
  applyPointerErrors,
  configurationFields,
  configurationOf,
  overlaySchemaOf,
} from './adapter-form-fields';
import { AdapterPromotion } from './adapter-promotion';
import { ConnectionTestPanel } from './connection-test-panel';

/**
 * The adapter per environment: a switcher, what the environment still lacks ("PROD has no
 * password set"), the effective configuration, the overlay fields, credentials, promotion and
 * the connection test. Write actions follow `adapter:configure` and `credential:reveal`.
 */
@Component({
  selector: 'ix-adapter-environment-panel',
  imports: [
    JsonPipe,
    MatButtonModule,
    MatButtonToggleModule,
    FormlyForm,
    ProblemMessage,
    AdapterCredentialsForm,
    AdapterPromotion,
    ConnectionTestPanel,
  ],
  template: `
    <mat-button-toggle-group
      aria-label="Environment"
      [value]="environment()"
      (change)="environment.set($event.value)"
    >
      @for (env of environments(); track env.code) {
        <mat-button-toggle [value]="env.code">{{ env.code }}</mat-button-toggle>
      }
    </mat-button-toggle-group>

    @if (failure(); as failure) {
      <ix-problem-message [failure]="failure">
        The configuration in {{ environment() }} could not be loaded.
      </ix-problem-message>
    }
    @if (effective(); as effective) {
      @if (effective.missing.length > 0) {
        <ul class="ix-notice missing" aria-label="Missing in {{ effective.environment }}">
          @for (m of effective.missing; track m) {
            <li>{{ m }}</li>
          }
        </ul>
      } @else {
        <p class="ix-muted">Nothing is missing in {{ effective.environment }}.</p>
      }
      <details>
        <summary>Effective configuration in {{ effective.environment }}</summary>
        <pre class="effective">{{ effective.configuration | json }}</pre>
      </details>
    }

    <h3>Overlay in {{ environment() }}</h3>
    <p class="ix-muted">Values set here replace the base configuration in this environment only.</p>
    <formly-form
      [form]="overlayForm()"
      [fields]="overlayFields()"
      [model]="overlay()"
      [options]="{ formState: { readOnly: !canConfigure() } }"
    />
    @if (overlayFailure(); as failure) {
      <ix-problem-message [failure]="failure">The overlay could not be saved.</ix-problem-message>
    }
    @if (canConfigure()) {
      <div class="ix-actions">
        <button matButton="outlined" type="button" [disabled]="busy()" (click)="saveOverlay()">
          Save overlay for {{ environment() }}
        </button>
      </div>
    }

    <h3>Credentials in {{ environment() }}</h3>
    @if (canSetCredentials()) {
      <ix-adapter-credentials-form
        [packageId]="adapter().packageId"
        [adapterId]="adapter().id"
        [environment]="environment()"
        [pointers]="secrets()"
        [effective]="effective()"
        (saved)="onCredentials($event)"
      />
    } @else {
      <ul class="secrets">
        @for (pointer of secrets(); track pointer) {
          <li>
            <code>{{ pointer }}</code>: {{ isSet(pointer) ? 'set' : 'not set' }}
          </li>
        } @empty {
          <li class="ix-muted">This adapter type has no secret fields.</li>
        }
      </ul>
    }

    <h3>Promotion</h3>
    <ix-adapter-promotion
      [packageId]="adapter().packageId"
      [adapterId]="adapter().id"
      [from]="environment()"
      [environments]="environments()"
      [canPromote]="canConfigure()"
      (promoted)="onPromoted($event)"
    />

    <h3>Connection test</h3>
    <ix-connection-test-panel
      [packageId]="adapter().packageId"
      [adapterId]="adapter().id"
      [environment]="environment()"
      [lastTest]="effective()?.lastTest ?? null"
      [canTest]="canConfigure()"
    />
  `,
  styles: `
    .missing {
      margin: 1rem 0;
      padding: 0.75rem 1rem 0.75rem 2rem;
    }
    .effective {
      overflow: auto;
      max-height: 20rem;
    }
    h3 {
      margin: 1.5rem 0 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdapterEnvironmentPanel {
  private readonly api = inject(AdaptersApi);
  private readonly notifier = inject(Notifier);
  private readonly formlyJsonschema = inject(FormlyJsonschema);

  readonly adapter = input.required<AdapterDetailDto>();
  readonly environments = input<readonly EnvironmentDto[]>([]);
  readonly canConfigure = input(false);
  readonly canSetCredentials = input(false);

  readonly environment = signal('DEV');
  readonly effective = signal<EffectiveConfigDto | null>(null);
  readonly failure = signal<ApiFailure | null>(null);
  readonly overlay = signal<Record<string, unknown>>({});
  readonly overlayForm = computed(() => {
    this.overlay();
    return new FormGroup({});
  });
  readonly overlayFields = computed<FormlyFieldConfig[]>(() => {
    const schema = overlaySchemaOf(ADAPTER_CONFIG_SCHEMAS[this.adapter().adapterType]) as object;
    return [configurationFields(this.formlyJsonschema, schema, new Set())];
  });
  readonly secrets = computed(() =>
    secretPointers(ADAPTER_CONFIG_SCHEMAS[this.adapter().adapterType]),
  );
  readonly busy = signal(false);
  readonly overlayFailure = signal<ApiFailure | null>(null);
  private readonly loads = signal(0);
  /** Bumped by every load and every answer that sets the state: older answers are dropped. */
  private generation = 0;

  constructor() {
    effect(() => {
      const first = this.environments()[0]?.code;
      if (first && !this.environments().some((e) => e.code === this.environment()))
        this.environment.set(first);
    });
    effect(() => {
      this.loads();
      void this.load(this.adapter(), this.environment());
    });
  }

  isSet(pointer: string): boolean {
    return JSON.stringify(valueAt(this.effective()?.configuration, pointer)) === '{"set":true}';
  }

  saveOverlay(): void {
    if (!this.busy()) void this.putOverlay();
  }

  onCredentials(effective: EffectiveConfigDto): void {
    this.generation++; // a load still in flight started before these credentials were saved
    this.effective.set(effective);
    this.notifier.done(`Credentials saved in ${effective.environment}.`);
  }

  onPromoted(to: string): void {
    this.notifier.done(`Promoted ${this.environment()} to ${to}.`);
    this.loads.update((n) => n + 1);
  }

  private async load(adapter: AdapterDetailDto, env: string): Promise<void> {
    const mine = ++this.generation;
    this.failure.set(null);
    this.overlayFailure.set(null);
    const [effective, overlay] = await Promise.all([
      this.api.effective(adapter.packageId, adapter.id, env),
      this.api.overlay(adapter.packageId, adapter.id, env),
    ]);
    if (mine !== this.generation || env !== this.environment()) return; // newer state meanwhile
    if (!effective.ok) return this.failure.set(effective.failure);
    this.effective.set(effective.data);
    this.overlay.set(overlay.ok ? { ...overlay.data.values } : {});
  }

  private async putOverlay(): Promise<void> {
    const adapter = this.adapter();
    const env = this.environment();
    this.busy.set(true);
    this.overlayFailure.set(null);
    const outcome = await this.api.putOverlay(
      adapter.packageId,
      adapter.id,
      env,
      configurationOf(this.overlay()),
    );
    this.busy.set(false);
    if (!outcome.ok) {
      this.overlayFailure.set(outcome.failure);
      const [root] = this.overlayFields();
      if (root) applyPointerErrors(root, outcome.failure, '/values');
      return;
    }
    this.notifier.done(`Overlay saved for ${env}.`);
    this.loads.update((n) => n + 1);
  }
}

function valueAt(config: unknown, pointer: string): unknown {
  let node = config;
  for (const key of pointer.split('/').slice(1)) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

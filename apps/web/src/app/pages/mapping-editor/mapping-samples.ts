import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { switchMap, tap } from 'rxjs';

import { type MappingSampleSummaryDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { CodeEditor, type CodeLanguage } from '../../ui/code-editor/code-editor';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';

/** The sample being written: a new one (`id` null) or a stored one at `version`. */
interface SampleForm {
  readonly id: string | null;
  readonly version: number;
  readonly name: string;
  readonly input: string;
  readonly expectedOutput: string;
}

/**
 * The mapping's named samples: run one, and (with `asset:write`) add, edit or delete them. A
 * sample is an input payload and, optionally, the output it should give.
 */
@Component({
  selector: 'ix-mapping-samples',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    CodeEditor,
    ProblemMessage,
  ],
  templateUrl: './mapping-samples.html',
  styleUrl: './mapping-samples.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingSamples {
  private readonly api = inject(MappingsApi);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  readonly packageId = input.required<string>();
  readonly mappingId = input.required<string>();
  readonly canWrite = input(false);
  readonly inputLanguage = input<CodeLanguage>('xml');
  readonly outputLanguage = input<CodeLanguage>('json');
  /** Disables the run buttons while a run is under way. */
  readonly running = input(false);

  readonly runSample = output<MappingSampleSummaryDto>();

  readonly samples = signal<readonly MappingSampleSummaryDto[]>([]);
  readonly loading = signal(true);
  readonly failure = signal<ApiFailure | null>(null);
  readonly form = signal<SampleForm | null>(null);
  readonly saving = signal(false);
  readonly saveFailure = signal<ApiFailure | null>(null);
  private readonly reloads = signal(0);

  constructor() {
    const wanted = computed(() => ({ mappingId: this.mappingId(), reload: this.reloads() }));
    toObservable(wanted)
      .pipe(
        tap(() => {
          this.loading.set(true);
          this.failure.set(null);
        }),
        switchMap(({ mappingId }) =>
          abortable((signal) => this.api.samples(this.packageId(), mappingId, signal)),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        this.loading.set(false);
        if (result.ok) this.samples.set(result.data.items);
        else this.failure.set(result.failure);
      });
  }

  reload(): void {
    this.reloads.update((n) => n + 1);
  }

  add(): void {
    this.saveFailure.set(null);
    this.form.set({ id: null, version: 0, name: '', input: '', expectedOutput: '' });
  }

  async edit(sample: MappingSampleSummaryDto): Promise<void> {
    this.saveFailure.set(null);
    const result = await this.api.sample(this.packageId(), this.mappingId(), sample.id);
    if (!result.ok) {
      this.notifier.failed('The sample could not be loaded.', result.failure);
      return;
    }
    const { id, version, name, input, expectedOutput } = result.data;
    this.form.set({ id, version, name, input, expectedOutput: expectedOutput ?? '' });
  }

  cancel(): void {
    this.form.set(null);
  }

  patch(change: Partial<SampleForm>): void {
    this.form.update((form) => form && { ...form, ...change });
  }

  async save(): Promise<void> {
    const form = this.form();
    if (!form || this.saving()) return;
    this.saving.set(true);
    this.saveFailure.set(null);
    const expectedOutput = form.expectedOutput.trim() === '' ? null : form.expectedOutput;
    const body = { name: form.name.trim(), input: form.input, expectedOutput };
    const result = form.id
      ? await this.api.updateSample(this.packageId(), this.mappingId(), form.id, {
          ...body,
          version: form.version,
        })
      : await this.api.addSample(this.packageId(), this.mappingId(), body);
    this.saving.set(false);
    if (!result.ok) {
      this.saveFailure.set(result.failure);
      return;
    }
    this.notifier.done(`Sample ${result.data.name} saved.`);
    this.form.set(null);
    this.reload();
  }

  async remove(sample: MappingSampleSummaryDto): Promise<void> {
    const confirmed = await this.confirm.ask({
      title: 'Delete the sample?',
      message: `Delete the sample ${sample.name}? This cannot be undone.`,
      confirm: 'Delete',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.api.deleteSample(this.packageId(), this.mappingId(), sample.id);
    if (!result.ok) {
      this.notifier.failed(`The sample ${sample.name} could not be deleted.`, result.failure);
      return;
    }
    this.notifier.done(`Sample ${sample.name} deleted.`);
    if (this.form()?.id === sample.id) this.form.set(null);
    this.reload();
  }
}

import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import {
  type MappingSampleSummaryDto,
  type MappingTestAllDto,
  type MappingTestResultDto,
} from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { CodeEditor, type CodeLanguage } from '../../ui/code-editor/code-editor';
import { ProblemMessage } from '../../ui/problem-message';
import { MappingSamples } from './mapping-samples';
import { MappingTestResult } from './mapping-test-result';

/**
 * Running the saved mapping: a stored sample, every sample ("Run all"), or an ad-hoc input
 * (with an optional expected output). Runs change nothing, so readers may run too.
 */
@Component({
  selector: 'ix-mapping-run-panel',
  imports: [MatButtonModule, CodeEditor, MappingSamples, MappingTestResult, ProblemMessage],
  template: `
    <h3 id="samples-heading">Samples</h3>
    <ix-mapping-samples
      [packageId]="packageId()"
      [mappingId]="mappingId()"
      [canWrite]="canWrite()"
      [inputLanguage]="inputLanguage()"
      [outputLanguage]="outputLanguage()"
      [running]="running()"
      (runSample)="runSample($event)"
    />
    <div class="run-all">
      <button matButton="outlined" type="button" [disabled]="running()" (click)="runAll()">
        Run all samples
      </button>
    </div>

    <h3>Run an input</h3>
    <ix-code-editor
      label="Input to run"
      [language]="inputLanguage()"
      [lineNumbers]="true"
      [value]="input()"
      (valueChange)="input.set($event)"
    />
    <details>
      <summary>Expected output (optional)</summary>
      <ix-code-editor
        label="Expected output to compare with"
        [language]="outputLanguage()"
        [lineNumbers]="true"
        [value]="expected()"
        (valueChange)="expected.set($event)"
      />
    </details>
    <div class="run-all">
      <button
        matButton="filled"
        type="button"
        [disabled]="running() || input().trim() === ''"
        (click)="runInput()"
      >
        Run
      </button>
    </div>

    @if (running()) {
      <div class="ix-state" aria-busy="true" role="status"><p>Running…</p></div>
    }
    @if (failure(); as failure) {
      <ix-problem-message [failure]="failure">The mapping could not be run.</ix-problem-message>
    }
    @if (all(); as all) {
      <section class="results" aria-label="Results of all samples">
        <p role="status">
          <strong>{{ all.passed }} of {{ all.total }} samples passed</strong>
          @if (all.failed > 0) {
            — {{ all.failed }} failed.
          }
        </p>
        @for (run of all.results; track $index) {
          <details [open]="!run.passed">
            <summary>{{ run.sampleName }}: {{ run.passed ? 'passed' : 'failed' }}</summary>
            <ix-mapping-test-result [result]="run" [outputLanguage]="outputLanguage()" />
          </details>
        }
      </section>
    } @else if (result(); as run) {
      <section class="results" aria-label="Run result">
        <ix-mapping-test-result [result]="run" [outputLanguage]="outputLanguage()" />
      </section>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    h3 {
      margin-top: 1rem;
    }
    .run-all {
      display: flex;
      justify-content: flex-end;
      margin: 0.5rem 0;
    }
    details {
      margin-top: 0.5rem;
    }
    .results {
      margin-top: 0.75rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingRunPanel {
  private readonly api = inject(MappingsApi);

  readonly packageId = input.required<string>();
  readonly mappingId = input.required<string>();
  readonly canWrite = input(false);
  readonly inputLanguage = input<CodeLanguage>('xml');
  readonly outputLanguage = input<CodeLanguage>('json');

  readonly input = signal('');
  readonly expected = signal('');
  readonly running = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly result = signal<MappingTestResultDto | null>(null);
  readonly all = signal<MappingTestAllDto | null>(null);

  runSample(sample: MappingSampleSummaryDto): Promise<void> {
    return this.run(() =>
      this.api.test(this.packageId(), this.mappingId(), { sampleId: sample.id }),
    );
  }

  runInput(): Promise<void> {
    const expected = this.expected().trim();
    return this.run(() =>
      this.api.test(this.packageId(), this.mappingId(), {
        input: this.input(),
        ...(expected ? { expectedOutput: expected } : {}),
      }),
    );
  }

  async runAll(): Promise<void> {
    if (this.running()) return;
    this.start();
    const outcome = await this.api.testAll(this.packageId(), this.mappingId());
    this.running.set(false);
    if (outcome.ok) this.all.set(outcome.data);
    else this.failure.set(outcome.failure);
  }

  private async run(call: () => ReturnType<MappingsApi['test']>): Promise<void> {
    if (this.running()) return;
    this.start();
    const outcome = await call();
    this.running.set(false);
    if (outcome.ok) this.result.set(outcome.data);
    else this.failure.set(outcome.failure);
  }

  private start(): void {
    this.running.set(true);
    this.failure.set(null);
    this.result.set(null);
    this.all.set(null);
  }
}

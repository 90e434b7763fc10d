import {
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
  linkedSignal,
  output,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import {
  FLOW_TRIGGER_TYPES,
  RATE_LIMIT_MAX_MESSAGES,
  RATE_LIMIT_MAX_SECONDS,
  type FlowNode,
  type FlowRateLimit,
  type FlowSourceNode,
  type FlowTrigger,
} from '@integrixs/domain';

import { assetRefOf, assetRoleOf, KIND_LABELS, withAssetRef } from './designer-state';

/** An asset a node may use, as the settings list it. */
export interface AssetChoice {
  readonly id: string;
  readonly name: string;
  readonly role: 'adapter' | 'schema' | 'mapping';
  /** Adapters: SOURCE, TARGET or BOTH. */
  readonly direction?: string;
  /** Set for an asset of another package (its name). */
  readonly packageName?: string;
}

/** The rate-limit fields as typed: a half-filled or bad pair is not saved, so it lives here. */
interface RateDraft {
  messages: string;
  perSeconds: string;
}

/** What is wrong with the typed rate limit (the template words it), or null. */
type RateProblem = 'incomplete' | 'messages' | 'perSeconds' | null;

/** The rate limit the fields describe: null for none (both empty), or what is wrong. */
function parseRateLimit(draft: RateDraft): { limit: FlowRateLimit | null; problem: RateProblem } {
  const messages = draft.messages.trim();
  const perSeconds = draft.perSeconds.trim();
  if (!messages && !perSeconds) return { limit: null, problem: null };
  if (!messages || !perSeconds) return { limit: null, problem: 'incomplete' };
  const whole = (text: string, max: number) => {
    const n = Number(text);
    return Number.isInteger(n) && n >= 1 && n <= max ? n : null;
  };
  const m = whole(messages, RATE_LIMIT_MAX_MESSAGES);
  if (m === null) return { limit: null, problem: 'messages' };
  const s = whole(perSeconds, RATE_LIMIT_MAX_SECONDS);
  if (s === null) return { limit: null, problem: 'perSeconds' };
  return { limit: { messages: m, perSeconds: s }, problem: null };
}

const TRIGGER_LABELS: Record<FlowTrigger['type'], string> = {
  schedule: 'Schedule (cron)',
  poll: 'Poll interval',
  http: 'Inbound HTTP call',
  manual: 'By hand',
};

/**
 * The side panel of the selected step: its label, the asset it uses (pinned to a version or
 * following the latest), and its kind's settings (a source's trigger and optional rate limit, a
 * route's predicates and default branch, an error handler's destination). Each finished field
 * edit emits the whole node once (`changed`): one undo step per edit.
 */
@Component({
  selector: 'ix-node-settings',
  imports: [MatButtonModule],
  template: `
    @let n = node();
    <h2 id="node-settings-heading">{{ kindLabel() }} · {{ n.id }}</h2>
    <div class="fields">
      <label
        >Label
        <input type="text" maxlength="200" [value]="n.label ?? ''" (change)="setLabel($event)" />
      </label>
      @if (n.kind === 'errorHandler') {
        <label
          >Destination
          <select (change)="setDestination($event)">
            <option value="deadLetter" [selected]="n.destination === 'deadLetter'">
              Dead-letter store
            </option>
            <option value="adapter" [selected]="n.destination === 'adapter'">
              A target adapter
            </option>
          </select>
        </label>
      }
      @if (ref(); as ref) {
        <label
          >{{ roleLabel() }}
          <select (change)="setAsset($event)">
            <option value="" [selected]="!ref.assetId">Choose…</option>
            @for (choice of choices(); track choice.id) {
              <option [value]="choice.id" [selected]="choice.id === ref.assetId">
                {{ choice.name }}{{ choice.direction ? ' (' + choice.direction + ')' : ''
                }}{{ choice.packageName ? ' · ' + choice.packageName : '' }}
              </option>
            }
          </select>
        </label>
        <label
          >Version (empty: always the latest)
          <input
            type="number"
            min="1"
            step="1"
            [value]="ref.version ?? ''"
            (change)="setVersion($event)"
          />
        </label>
      }
      @if (n.kind === 'validate') {
        <label
          >Root element (XSD, optional)
          <input type="text" [value]="n.schema.root ?? ''" (change)="setRoot($event)" />
        </label>
      }
      @if (n.kind === 'source') {
        <label
          >Trigger
          <select (change)="setTriggerType($event)">
            @for (type of triggerTypes; track type) {
              <option [value]="type" [selected]="n.trigger.type === type">
                {{ triggerLabels[type] }}
              </option>
            }
          </select>
        </label>
        @if (n.trigger.type === 'schedule') {
          <label
            >Cron expression
            <input
              type="text"
              placeholder="*/5 * * * *"
              [value]="n.trigger.cron"
              (change)="setCron($event)"
            />
          </label>
        }
        @if (n.trigger.type === 'poll') {
          <label
            >Poll every (seconds)
            <input
              type="number"
              min="1"
              max="604800"
              [value]="n.trigger.intervalSeconds"
              (change)="setInterval($event)"
            />
          </label>
        }
        <fieldset>
          <legend>Rate limit (both empty: no limit)</legend>
          <label
            >Rate limit: messages
            <input
              type="number"
              min="1"
              [max]="maxMessages"
              step="1"
              [value]="rateDraft().messages"
              [attr.aria-invalid]="rateProblem() === 'messages' || rateProblem() === 'incomplete'"
              (change)="setRate('messages', $event)"
            />
          </label>
          <label
            >per seconds
            <input
              type="number"
              min="1"
              [max]="maxSeconds"
              step="1"
              [value]="rateDraft().perSeconds"
              [attr.aria-invalid]="rateProblem() === 'perSeconds' || rateProblem() === 'incomplete'"
              (change)="setRate('perSeconds', $event)"
            />
          </label>
          @switch (rateProblem()) {
            @case ('incomplete') {
              <p class="ix-hint error" role="alert">
                Fill in both rate limit fields, or leave both empty for no limit.
              </p>
            }
            @case ('messages') {
              <p class="ix-hint error" role="alert">
                Messages: a whole number from 1 to {{ maxMessages }}.
              </p>
            }
            @case ('perSeconds') {
              <p class="ix-hint error" role="alert">
                Per seconds: a whole number from 1 to {{ maxSeconds }} (one day).
              </p>
            }
          }
        </fieldset>
      }
      @if (n.kind === 'route') {
        <fieldset>
          <legend>Branches, first matching predicate wins (JSONata)</legend>
          @for (route of n.routes; track $index) {
            <div class="route">
              <label
                >Branch
                <input type="text" [value]="route.branch" (change)="setBranch($index, $event)" />
              </label>
              <label
                >When
                <input type="text" [value]="route.when" (change)="setWhen($index, $event)" />
              </label>
              <button matButton type="button" (click)="removeRoute($index)">
                Remove <span class="ix-visually-hidden">branch {{ route.branch }}</span>
              </button>
            </div>
          }
          <button matButton="outlined" type="button" (click)="addRoute()">Add branch</button>
        </fieldset>
        <label
          >Default branch
          <input type="text" [value]="n.defaultBranch ?? ''" (change)="setDefault($event)" />
        </label>
      }
    </div>
    <button matButton="outlined" type="button" class="delete" (click)="deleted.emit(n.id)">
      Delete step
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NodeSettings {
  readonly node = input.required<FlowNode>();
  readonly assets = input.required<readonly AssetChoice[]>();
  readonly changed = output<FlowNode>();
  readonly deleted = output<string>();

  readonly triggerTypes = FLOW_TRIGGER_TYPES;
  readonly triggerLabels = TRIGGER_LABELS;
  readonly maxMessages = RATE_LIMIT_MAX_MESSAGES;
  readonly maxSeconds = RATE_LIMIT_MAX_SECONDS;
  /** A source's rate-limit fields as typed, reset from the node whenever it changes. */
  readonly rateDraft = linkedSignal<RateDraft>(() => {
    const node = this.node();
    const limit = node.kind === 'source' ? node.rateLimit : undefined;
    return {
      messages: limit ? String(limit.messages) : '',
      perSeconds: limit ? String(limit.perSeconds) : '',
    };
  });
  readonly rateProblem = computed(() => parseRateLimit(this.rateDraft()).problem);
  readonly kindLabel = computed(() => KIND_LABELS[this.node().kind]);
  readonly ref = computed(() => assetRefOf(this.node()));
  readonly roleLabel = computed(() => {
    const role = assetRoleOf(this.node());
    return role ? role[0].toUpperCase() + role.slice(1) : '';
  });
  /** The assets that fit: adapters of the right direction, schemas, mappings. */
  readonly choices = computed(() => {
    const node = this.node();
    const role = assetRoleOf(node);
    const wanted = node.kind === 'source' ? 'SOURCE' : 'TARGET';
    return this.assets().filter(
      (a) =>
        a.role === role && (role !== 'adapter' || a.direction === wanted || a.direction === 'BOTH'),
    );
  });

  private emit(next: FlowNode): void {
    this.changed.emit(next);
  }

  setLabel(event: Event): void {
    const text = value(event).trim();
    const node: FlowNode = { ...this.node() };
    if (text) node.label = text;
    else delete node.label;
    this.emit(node);
  }

  setAsset(event: Event): void {
    this.emit(
      withAssetRef(this.node(), { assetId: value(event), version: this.ref()?.version ?? null }),
    );
  }

  setVersion(event: Event): void {
    const n = Number.parseInt(value(event), 10);
    this.emit(
      withAssetRef(this.node(), {
        assetId: this.ref()?.assetId ?? '',
        version: Number.isInteger(n) && n >= 1 ? n : null,
      }),
    );
  }

  setRoot(event: Event): void {
    const node = this.node();
    if (node.kind !== 'validate') return;
    this.emit({ ...node, schema: { ...node.schema, root: value(event).trim() || null } });
  }

  setDestination(event: Event): void {
    const node = this.node();
    if (node.kind !== 'errorHandler') return;
    const destination = value(event) === 'adapter' ? 'adapter' : 'deadLetter';
    this.emit(
      destination === 'adapter'
        ? { ...node, destination, adapter: node.adapter ?? { assetId: '', version: null } }
        : { id: node.id, kind: node.kind, position: node.position, destination, ...label(node) },
    );
  }

  setTriggerType(event: Event): void {
    const node = this.node();
    if (node.kind !== 'source') return;
    const type = value(event) as FlowTrigger['type'];
    const trigger: FlowTrigger =
      type === 'schedule'
        ? { type, cron: '*/5 * * * *' }
        : type === 'poll'
          ? { type, intervalSeconds: 60 }
          : { type };
    this.emit({ ...node, trigger });
  }

  setCron(event: Event): void {
    const node = this.node();
    if (node.kind === 'source')
      this.emit({ ...node, trigger: { type: 'schedule', cron: value(event).trim() } });
  }

  setInterval(event: Event): void {
    const node = this.node();
    const seconds = Number.parseInt(value(event), 10);
    if (node.kind === 'source' && Number.isInteger(seconds))
      this.emit({ ...node, trigger: { type: 'poll', intervalSeconds: seconds } });
  }

  /** Both fields empty: no limit; both valid: the limit. Anything else waits for a fix. */
  setRate(field: keyof RateDraft, event: Event): void {
    const node = this.node();
    if (node.kind !== 'source') return;
    const draft = { ...this.rateDraft(), [field]: value(event) };
    this.rateDraft.set(draft);
    const { limit, problem } = parseRateLimit(draft);
    if (problem) return;
    const next: FlowSourceNode = { ...node };
    if (limit) next.rateLimit = limit;
    else delete next.rateLimit;
    this.emit(next);
  }

  setBranch(index: number, event: Event): void {
    this.editRoutes((routes) =>
      routes.map((r, i) => (i === index ? { ...r, branch: value(event).trim() } : r)),
    );
  }

  setWhen(index: number, event: Event): void {
    this.editRoutes((routes) =>
      routes.map((r, i) => (i === index ? { ...r, when: value(event) } : r)),
    );
  }

  addRoute(): void {
    this.editRoutes((routes) => [
      ...routes,
      { branch: `branch-${routes.length + 1}`, when: 'true' },
    ]);
  }

  removeRoute(index: number): void {
    this.editRoutes((routes) => routes.filter((_, i) => i !== index));
  }

  setDefault(event: Event): void {
    const node = this.node();
    if (node.kind === 'route') this.emit({ ...node, defaultBranch: value(event).trim() || null });
  }

  private editRoutes(
    edit: (routes: { branch: string; when: string }[]) => { branch: string; when: string }[],
  ): void {
    const node = this.node();
    if (node.kind === 'route') this.emit({ ...node, routes: edit(node.routes) });
  }
}

function value(event: Event): string {
  return (event.target as HTMLInputElement | HTMLSelectElement).value;
}

function label(node: FlowNode): { label?: string } {
  return node.label !== undefined ? { label: node.label } : {};
}

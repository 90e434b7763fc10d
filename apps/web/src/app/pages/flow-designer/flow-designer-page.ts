import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
  ViewEncapsulation,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { Router, RouterLink } from '@angular/router';
import {
  FCanvasComponent,
  FFlowComponent,
  FFlowModule,
  type FCreateConnectionEvent,
  type FCreateNodeEvent,
  type FMoveNodesEvent,
  type FSelectionChangeEvent,
} from '@foblex/flow';

import { type FlowDetailDto } from '@integrixs/api-client';
import { type FlowContent, type FlowNode } from '@integrixs/domain';

import { type ApiFailure } from '../../api/api-result';
import { FlowsApi, refusalReasons } from '../../api/flows-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { Breadcrumbs } from '../../ui/breadcrumbs';
import { ConflictResolver } from '../../ui/conflict-dialog';
import { NoConnectionWorker } from '../../ui/graph-picture/no-connection-worker';
import { LoadState } from '../../ui/load-state';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';
import { routeLoad } from '../../ui/route-load';
import { contentOf, draftProblems, graphBody, resolveFlowConflict } from './designer-api';
import { autoLayout } from './designer-layout';
import { watchRemoteSaves } from './designer-live';
import {
  designerApis,
  designerCrumbs,
  loadDesigner,
  NEW_FLOW,
  type DesignerLoad,
} from './designer-load';
import { paletteItems, STEP_ITEMS } from './designer-palette';
import {
  addNode,
  BOX_WIDTH,
  branchesFrom,
  commit,
  connect,
  connectRefusal,
  deleteSelection,
  edgeKey,
  EMPTY_CONTENT,
  freePosition,
  keyCommand,
  KIND_LABELS,
  localProblems,
  mergeProblems,
  moveNodes,
  nodeTitle,
  problemsByEdge,
  problemsByNode,
  redo,
  replaceNode,
  sameContent,
  setEdgeBranch,
  startHistory,
  undo,
  type DesignerProblem,
  type History,
  type PaletteDrop,
} from './designer-state';
import { draftCheck } from './draft-check';
import { NodeSettings } from './node-settings';

/**
 * The flow designer at `/packages/:id/flows/:flowId/design` (`new`: a flow not saved yet): a
 * Foblex Flow canvas of the flow's steps, a palette of step kinds and the package's assets to
 * drag (or, with the keyboard, Enter) onto it, ports to connect, a side panel for the selected
 * step, ELK auto-layout, undo/redo over content snapshots, the API's graph problems of the
 * unsaved draft drawn on the steps they name, and save with optimistic locking, then "Mark
 * ready". The pure logic lives in designer-state.ts.
 */
@Component({
  selector: 'ix-flow-designer-page',
  imports: [
    FormsModule,
    FFlowModule,
    MatButtonModule,
    RouterLink,
    AssetStatusBadge,
    Breadcrumbs,
    LoadState,
    NodeSettings,
    NoConnectionWorker,
    ProblemMessage,
  ],
  templateUrl: './flow-designer-page.html',
  styleUrl: './flow-designer-page.css',
  // Foblex draws connections in its own components: the styles must reach inside them.
  encapsulation: ViewEncapsulation.None,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'onKey($event)' },
})
export class FlowDesignerPage {
  private readonly flows = inject(FlowsApi);
  private readonly apis = designerApis();
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly conflicts = inject(ConflictResolver);

  /** The `:id` route parameter (the package). */
  readonly id = input.required<string>();
  /** The `:flowId` route parameter, or `new`. */
  readonly flowId = input.required<string>();

  private readonly page = routeLoad(
    computed(() => ({ id: this.id(), flowId: this.flowId() })),
    ({ id, flowId }, signal) => loadDesigner(this.apis, id, flowId, signal),
    { notFound: [404] },
  );
  readonly phase = this.page.phase;
  readonly failure = this.page.failure;
  readonly loaded = this.page.loaded;

  readonly history = signal<History>(startHistory(EMPTY_CONTENT));
  readonly content = computed(() => this.history().present);
  /** The content as last saved (or loaded): "unsaved changes" is a difference from it. */
  readonly saved = signal<FlowContent>(EMPTY_CONTENT);
  readonly dirty = computed(() => !sameContent(this.content(), this.saved()));
  readonly canUndo = computed(() => this.history().past.length > 0);
  readonly canRedo = computed(() => this.history().future.length > 0);

  readonly name = signal('');
  readonly isNew = computed(() => this.flowId() === NEW_FLOW);
  readonly flow = signal<FlowDetailDto | null>(null);
  readonly canWrite = computed(
    () => this.loaded()?.pkg.yourPermissions.includes('asset:write') ?? false,
  );

  readonly selectedNodes = signal<readonly string[]>([]);
  readonly selectedEdges = signal<readonly string[]>([]);
  readonly selectedNode = computed(() => {
    const [id] = this.selectedNodes();
    return this.content().nodes.find((node) => node.id === id) ?? null;
  });
  readonly selectedEdge = computed(() => {
    const [key] = this.selectedEdges();
    return this.content().edges.find((edge) => edgeKey(edge) === key) ?? null;
  });
  /** The branches the selected edge may carry (when it leaves a route). */
  readonly edgeBranches = computed(() => branchesFrom(this.content(), this.selectedEdge()));
  /** Why the last connection attempt was refused, or null. */
  readonly hint = signal<string | null>(null);

  /** The API's problems of the draft, checked as the user edits (draft-check.ts). */
  private readonly draft = draftCheck(
    this.flows,
    () => this.id(),
    this.content,
    computed(() => this.loaded() !== null),
  );
  readonly remoteProblems = this.draft.problems;
  readonly checking = this.draft.checking;
  readonly checkFailed = this.draft.failed;
  readonly problems = computed(() =>
    mergeProblems(localProblems(this.content()), this.remoteProblems()),
  );
  readonly problemsByNode = computed(() => problemsByNode(this.problems()));
  readonly problemsByEdge = computed(() => problemsByEdge(this.problems()));

  readonly saving = signal(false);
  readonly saveFailure = signal<ApiFailure | null>(null);
  /** A 412: someone saved the flow since it was loaded. */
  readonly conflict = signal(false);
  readonly moving = signal(false);
  readonly moveFailure = signal<{ failure: ApiFailure; reasons: string[] } | null>(null);
  readonly laying = signal(false);
  /** This flow as saved elsewhere while the draft had unsaved changes (designer-live.ts). */
  readonly savedElsewhere = watchRemoteSaves(this);

  readonly stepItems = STEP_ITEMS;
  readonly assetItems = computed(() => paletteItems(this.loaded()?.assets ?? []));
  readonly assetNames = computed(
    () => new Map((this.loaded()?.assets ?? []).map((asset) => [asset.id, asset.name])),
  );
  readonly boxWidth = BOX_WIDTH;
  readonly kindLabels = KIND_LABELS;
  readonly edgeKey = edgeKey;

  readonly canMarkReady = computed(() => {
    const flow = this.flow();
    return !!flow && this.canWrite() && !this.dirty() && flow.allowedTransitions.includes('READY');
  });

  readonly crumbs = computed(() => designerCrumbs(this.id(), this.loaded()?.pkg.name, this.flow()));

  private readonly flowView = viewChild(FFlowComponent);
  private readonly canvas = viewChild(FCanvasComponent);
  private fitted = false;

  constructor() {
    // A new page load starts a new history.
    effect(() => {
      const loaded = this.loaded();
      untracked(() => this.reset(loaded));
    });
  }

  /** Fits a loaded flow into view once, when its steps are first drawn (not a new one's). */
  fitOnce(): void {
    if (this.fitted) return;
    this.fitted = true;
    this.canvas()?.fitToScreen({ x: 60, y: 60 }, false, false);
  }

  private edit(next: FlowContent): void {
    this.history.update((history) => commit(history, next));
  }

  undo(): void {
    this.history.update(undo);
    this.pruneSelection();
  }

  redo(): void {
    this.history.update(redo);
    this.pruneSelection();
  }

  /** A palette item dropped on the canvas: a new step where it was dropped. */
  onDrop(event: FCreateNodeEvent<PaletteDrop>): void {
    if (!event.data) return;
    const at = event.dropPosition ?? event.externalItemRect;
    this.add(event.data, { x: at.x - 20, y: at.y - 20 });
  }

  /** Enter on a palette item: a new step right of the others. */
  addFromKeyboard(drop: PaletteDrop): void {
    this.add(drop, freePosition(this.content()));
  }

  private add(drop: PaletteDrop, position: { x: number; y: number }): void {
    const { content, id } = addNode(this.content(), drop, position);
    this.edit(content);
    this.select([id], []);
  }

  onConnect(event: FCreateConnectionEvent): void {
    if (!event.targetId) return;
    const from = event.sourceId.replace(/::out$/, '');
    const to = event.targetId.replace(/::in$/, '');
    const refusal = connectRefusal(this.content(), from, to);
    this.hint.set(refusal);
    if (refusal) return;
    const next = connect(this.content(), from, to);
    this.edit(next);
    const added = next.edges.at(-1);
    if (added) this.select([], [edgeKey(added)]);
  }

  onMove(event: FMoveNodesEvent): void {
    this.edit(
      moveNodes(this.content(), new Map(event.nodes.map((node) => [node.id, node.position]))),
    );
  }

  onSelection(event: FSelectionChangeEvent): void {
    this.selectedNodes.set(event.nodeIds);
    this.selectedEdges.set(event.connectionIds);
  }

  /** Selects on the canvas too (a node added, a problem clicked: then brought into view). */
  select(nodeIds: string[], edgeKeys: string[], reveal = false): void {
    this.selectedNodes.set(nodeIds);
    this.selectedEdges.set(edgeKeys);
    // The canvas draws a new node on the next render: select it there after that.
    setTimeout(() => {
      this.flowView()?.select(nodeIds, edgeKeys, false);
      if (reveal && nodeIds[0]) this.canvas()?.centerGroupOrNode(nodeIds[0], false, false);
    });
  }

  selectProblem(problem: DesignerProblem): void {
    if (problem.edge) {
      const edge = this.content().edges.find(
        (e) => e.from === problem.edge?.from && e.to === problem.edge.to,
      );
      if (edge) this.select([], [edgeKey(edge)]);
    } else if (problem.nodeId) this.select([problem.nodeId], [], true);
  }

  deleteSelected(): void {
    const next = deleteSelection(this.content(), this.selectedNodes(), this.selectedEdges());
    if (next === this.content()) return;
    this.edit(next);
    this.selectedNodes.set([]);
    this.selectedEdges.set([]);
    this.flowView()?.clearSelection();
  }

  deleteNode(id: string): void {
    this.edit(deleteSelection(this.content(), [id], []));
    this.pruneSelection();
  }

  updateNode(node: FlowNode): void {
    this.edit(replaceNode(this.content(), node));
  }

  setBranch(event: Event): void {
    const edge = this.selectedEdge();
    if (!edge) return;
    const branch = (event.target as HTMLSelectElement).value;
    const next = setEdgeBranch(this.content(), edgeKey(edge), branch);
    this.edit(next);
    this.select([], [edgeKey({ ...edge, branch })]);
  }

  async layout(): Promise<void> {
    this.laying.set(true);
    const positions = await autoLayout(this.content());
    this.laying.set(false);
    this.edit(moveNodes(this.content(), positions));
    setTimeout(() => this.canvas()?.fitToScreen({ x: 60, y: 60 }, false));
  }

  /** Ctrl+Z, Ctrl+Shift+Z (or Ctrl+Y), Delete — not while typing in a field. */
  onKey(event: KeyboardEvent): void {
    const command = keyCommand(event);
    if (!command) return;
    if (command === 'delete' && this.selectedNodes().length + this.selectedEdges().length === 0)
      return;
    event.preventDefault();
    if (command === 'undo') this.undo();
    else if (command === 'redo') this.redo();
    else this.deleteSelected();
  }

  nodeTitle(node: FlowNode): string {
    return nodeTitle(node, this.assetNames());
  }

  async save(): Promise<void> {
    const loaded = this.loaded();
    if (!loaded || this.saving()) return;
    const content = this.content();
    const body = graphBody(content);
    this.saving.set(true);
    this.saveFailure.set(null);
    this.conflict.set(false);
    const flow = this.flow();
    let result = flow
      ? await this.flows.update(this.id(), flow.id, { ...body, version: flow.version })
      : await this.flows.create(this.id(), { ...body, name: this.name().trim() });
    if (flow && !result.ok && result.failure.status === 412) {
      // Someone saved first: the shared dialog shows what differs and lets the user choose.
      const { choice, theirs } = await resolveFlowConflict(this.conflicts, this.flows, {
        packageId: this.id(),
        flow,
        content,
      });
      if (choice === 'reload') {
        this.saving.set(false);
        this.reload();
        return;
      }
      if (choice === 'overwrite' && theirs)
        result = await this.flows.update(this.id(), flow.id, { ...body, version: theirs.version });
    }
    this.saving.set(false);
    if (!result.ok) {
      if (result.failure.status === 412) this.conflict.set(true);
      else this.saveFailure.set(result.failure);
      if (result.failure.status === 400)
        this.remoteProblems.set(draftProblems(content, result.failure));
      return;
    }
    this.flow.set(result.data);
    this.saved.set(content);
    this.savedElsewhere.set(null);
    this.moveFailure.set(null);
    this.notifier.done(`${result.data.name} saved as version ${result.data.currentVersion}.`);
    if (!flow)
      await this.router.navigate(['/packages', this.id(), 'flows', result.data.id, 'design'], {
        replaceUrl: true,
      });
  }

  /** Loads again: after a failed load, or the other user's version (losing unsaved changes). */
  reload(): void {
    this.conflict.set(false);
    this.page.retry();
  }

  async markReady(): Promise<void> {
    const flow = this.flow();
    if (!flow) return;
    this.moving.set(true);
    this.moveFailure.set(null);
    const result = await this.flows.transition(this.id(), flow.id, {
      to: 'READY',
      version: flow.version,
    });
    this.moving.set(false);
    if (!result.ok) {
      this.moveFailure.set({ failure: result.failure, reasons: refusalReasons(result.failure) });
      return;
    }
    this.flow.set(result.data);
    this.notifier.done(`${result.data.name} is now ${result.data.status}.`);
  }

  private reset(loaded: DesignerLoad | null): void {
    const content = loaded?.flow ? contentOf(loaded.flow) : EMPTY_CONTENT;
    this.history.set(startHistory(content));
    this.saved.set(content);
    this.flow.set(loaded?.flow ?? null);
    this.name.set(loaded?.flow?.name ?? '');
    this.remoteProblems.set(loaded?.flow?.problems ?? []);
    this.savedElsewhere.set(null);
    this.selectedNodes.set([]);
    this.selectedEdges.set([]);
    // Nothing to fit in an empty flow: its first dropped step stays where it was dropped.
    this.fitted = content.nodes.length === 0;
  }

  private pruneSelection(): void {
    const { nodes, edges } = this.content();
    const ids = new Set(nodes.map((node) => node.id));
    const keys = new Set(edges.map(edgeKey));
    this.selectedNodes.update((selected) => selected.filter((id) => ids.has(id)));
    this.selectedEdges.update((selected) => selected.filter((key) => keys.has(key)));
  }
}

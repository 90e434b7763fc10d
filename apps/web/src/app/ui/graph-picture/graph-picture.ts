import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  input,
  output,
  signal,
  viewChild,
  ViewEncapsulation,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { FCanvasComponent, FFlowModule } from '@foblex/flow';

import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, type Positions } from './graph-layout';
import { NoConnectionWorker } from './no-connection-worker';

/** A box on the picture. */
export interface PictureNode {
  readonly id: string;
  /** The first line: what the node is (a flow step's kind, an asset's type). */
  readonly caption: string;
  /** A short glyph for the node's kind, drawn before the caption (decorative). */
  readonly icon?: string | null;
  /** The second line: the asset's or step's name. */
  readonly title: string;
  /** Opens the asset (router link), or null. */
  readonly link: readonly string[] | null;
  /** The saved position; when every node has one, no layout is computed. */
  readonly position?: { readonly x: number; readonly y: number } | null;
  /** A tag such as "Other package: Billing", or null. */
  readonly tag?: string | null;
  /** Problems about this node (drawn on it). */
  readonly problems?: readonly string[];
}

export interface PictureEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string | null;
  readonly problems?: readonly string[];
}

/**
 * A read-only picture of a graph (a flow's steps, a package's dependencies) drawn with Foblex
 * Flow: boxes placed by their saved positions or by ELK's layered layout, arrows between them,
 * problems drawn in red on the boxes and arrows they name. The canvas pans and zooms; nodes do
 * not move (the designer that edits comes later). `selectable` adds a "select" button per box
 * (`selected` is then marked and `highlighted` ids stand out).
 */
@Component({
  selector: 'ix-graph-picture',
  imports: [FFlowModule, NoConnectionWorker, RouterLink],
  template: `
    <div class="ix-graph" role="group" [attr.aria-label]="label()">
      @if (positions(); as placed) {
        <f-flow fDraggable ixNoConnectionWorker (fNodesRendered)="fit()">
          <f-canvas fZoom>
            @for (edge of edges(); track $index) {
              <f-connection
                [fConnectionId]="'c' + $index"
                [fSourceId]="edge.from + '::out'"
                [fTargetId]="edge.to + '::in'"
                fType="segment"
                fBehavior="fixed"
                [class.ix-graph-problem]="(edge.problems?.length ?? 0) > 0"
              >
                <f-connection-marker-arrow type="end" />
                @if (edge.label) {
                  <span fConnectionContent [position]="0.5" class="ix-graph-edge-label">{{
                    edge.label
                  }}</span>
                }
              </f-connection>
            }
            @for (node of nodes(); track node.id) {
              <div
                fNode
                class="ix-graph-node"
                [fNodeId]="node.id"
                [fNodePosition]="placed.get(node.id) ?? origin"
                [attr.data-node]="node.id"
                [class.ix-graph-problem]="(node.problems?.length ?? 0) > 0"
                [class.ix-graph-highlight]="highlighted().includes(node.id)"
                [class.ix-graph-selected]="selected() === node.id"
                [style.width.px]="width"
                [style.min-height.px]="height"
              >
                <div fConnector fConnectorType="target" [fConnectorId]="node.id + '::in'"></div>
                <span class="ix-graph-caption">
                  @if (node.icon) {
                    <span class="ix-graph-icon" aria-hidden="true">{{ node.icon }}</span>
                  }
                  {{ node.caption }}</span
                >
                @if (node.link; as link) {
                  <a class="ix-graph-title" [routerLink]="link">{{ node.title }}</a>
                } @else {
                  <span class="ix-graph-title">{{ node.title }}</span>
                }
                @if (node.tag) {
                  <span class="ix-graph-tag">{{ node.tag }}</span>
                }
                @for (problem of node.problems ?? []; track $index) {
                  <span class="ix-graph-node-problem">{{ problem }}</span>
                }
                @if (selectable()) {
                  <button
                    type="button"
                    class="ix-graph-select"
                    [attr.aria-pressed]="selected() === node.id"
                    (click)="nodeSelected.emit(selected() === node.id ? null : node.id)"
                  >
                    {{ selected() === node.id ? 'Clear' : 'Impact' }}
                    <span class="ix-visually-hidden">of {{ node.title }}</span>
                  </button>
                }
                <div fConnector fConnectorType="source" [fConnectorId]="node.id + '::out'"></div>
              </div>
            }
          </f-canvas>
        </f-flow>
      } @else {
        <div class="ix-state" aria-busy="true" role="status"><p>Laying out the graph…</p></div>
      }
    </div>
  `,
  styleUrl: './graph-picture.css',
  // Foblex draws connections in its own components: the styles must reach inside them.
  encapsulation: ViewEncapsulation.None,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GraphPicture {
  readonly nodes = input.required<readonly PictureNode[]>();
  readonly edges = input.required<readonly PictureEdge[]>();
  /** The picture's accessible name. */
  readonly label = input.required<string>();
  readonly selectable = input(false);
  readonly selected = input<string | null>(null);
  readonly highlighted = input<readonly string[]>([]);
  readonly nodeSelected = output<string | null>();

  readonly width = NODE_WIDTH;
  readonly height = NODE_HEIGHT;
  readonly origin = { x: 0, y: 0 };
  readonly positions = signal<Positions | null>(null);
  private readonly canvas = viewChild(FCanvasComponent);
  private readonly shape = computed(() => ({ nodes: this.nodes(), edges: this.edges() }));
  private layoutRun = 0;

  constructor() {
    effect(() => {
      const { nodes, edges } = this.shape();
      const run = ++this.layoutRun;
      const extra = this.selectable() ? 28 : 0;
      const sized = nodes.map((node) => ({
        ...node,
        // A problem takes about two lines of small text; a tag one.
        height: NODE_HEIGHT + extra + (node.problems?.length ?? 0) * 36 + (node.tag ? 20 : 0),
      }));
      void layoutGraph(sized, edges).then((positions) => {
        if (run === this.layoutRun) this.positions.set(positions);
      });
    });
  }

  /** Fits the whole graph into view once its nodes are drawn. */
  fit(): void {
    this.canvas()?.fitToScreen({ x: 40, y: 40 }, false);
  }
}

import { CdkDrag, CdkDropList, type CdkDragDrop } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

import { type SchemaFieldDto } from '@integrixs/api-client';

/** Levels open at first: the roots show their children; deeper fields wait to be expanded. */
const OPEN_DEPTH = 1;

/** A mark on a field (mapping editor): a rule sets it, or it is required and nothing does. */
export type FieldMark = 'mapped' | 'missing';

/** A source field dropped onto a target field. */
export interface FieldDrop {
  readonly source: SchemaFieldDto;
  readonly target: SchemaFieldDto;
}

/** The plain path a mark is kept under (without `[]`, as rule targets and trees differ there). */
export function markKey(path: string): string {
  return path.replace(/\[\]/g, '');
}

/**
 * One level of a schema's field tree as a nested list. A field's children are rendered only while
 * it is open, so a big tree (UBL Invoice) costs only what the user has expanded.
 *
 * `pickable` (the mapping editor): each field is a button that selects it (`picked`), fields
 * carry `marks`, a field the structure cut short asks for its subtree (`expandRequested`), and
 * fields can be dragged (`dragSource`) onto the fields of another tree (`dropTarget` →
 * `dropped`) inside one `cdkDropListGroup`.
 */
@Component({
  selector: 'ix-schema-field-tree',
  imports: [CdkDrag, CdkDropList],
  templateUrl: './schema-field-tree.html',
  styleUrl: './schema-field-tree.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemaFieldTree {
  readonly fields = input.required<readonly SchemaFieldDto[]>();
  readonly depth = input(0);
  readonly pickable = input(false);
  /** The picked field's path. */
  readonly selected = input<string | null>(null);
  /** Marks by plain path (`markKey`). */
  readonly marks = input<ReadonlyMap<string, FieldMark>>(new Map());
  readonly dragSource = input(false);
  readonly dropTarget = input(false);
  /** Paths whose subtree is being loaded. */
  readonly expanding = input<ReadonlySet<string>>(new Set());

  readonly picked = output<SchemaFieldDto>();
  readonly expandRequested = output<SchemaFieldDto>();
  readonly dropped = output<FieldDrop>();

  /** Paths the user has toggled away from their initial state (open above `OPEN_DEPTH`). */
  private readonly toggled = signal<ReadonlySet<string>>(new Set());

  /**
   * Each field row is its own drop list (the CDK ties a drag item to the list around it): a
   * target row takes any source field, a source row takes nothing.
   */
  readonly anyEntry = () => true;
  readonly noEntry = () => false;

  isOpen(path: string): boolean {
    return this.depth() < OPEN_DEPTH !== this.toggled().has(path);
  }

  markOf(field: SchemaFieldDto): FieldMark | undefined {
    return this.marks().get(markKey(field.path));
  }

  /** A field with children, or (pickable) one the structure cut short that can be loaded. */
  canOpen(field: SchemaFieldDto): boolean {
    return (field.children?.length ?? 0) > 0 || (this.pickable() && field.truncated === true);
  }

  toggle(field: SchemaFieldDto): void {
    const opening = !this.isOpen(field.path);
    if (opening && field.truncated && !field.children?.length) this.expandRequested.emit(field);
    this.toggled.update((paths) => {
      const next = new Set(paths);
      if (!next.delete(field.path)) next.add(field.path);
      return next;
    });
  }

  drop(event: CdkDragDrop<unknown, unknown, SchemaFieldDto>, target: SchemaFieldDto): void {
    if (event.previousContainer !== event.container)
      this.dropped.emit({ source: event.item.data, target });
  }
}

import type { DragEvent } from 'react';

// Source columns are dragged onto target fields. The drag carries the column name under
// its own type and as text/plain; a drop reads either (the mapper then checks the name).
const DRAG_TYPE = 'application/x-ferry-source-column';

export function startColumnDrag(event: DragEvent, column: string): void {
  event.dataTransfer.setData(DRAG_TYPE, column);
  event.dataTransfer.setData('text/plain', column);
  event.dataTransfer.effectAllowed = 'link';
}

/** Lets a target accept the drop (browsers refuse drops unless dragover is cancelled). */
export function acceptColumnDrag(event: DragEvent): void {
  event.preventDefault();
  event.dataTransfer.dropEffect = 'link';
}

/** The dragged column's name, or '' when the drop carries none. */
export function droppedColumn(event: DragEvent): string {
  return event.dataTransfer.getData(DRAG_TYPE) || event.dataTransfer.getData('text/plain');
}

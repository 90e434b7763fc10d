import { type FlowState } from '@integrixs/domain';

import { type ConfirmDialog } from '../../ui/confirm-dialog';

/** Asks first before archiving a flow (it cannot be undone); any other move goes ahead. */
export async function confirmMove(
  confirm: ConfirmDialog,
  flowName: string,
  to: FlowState,
): Promise<boolean> {
  if (to !== 'ARCHIVED') return true;
  return confirm.ask({
    title: 'Archive the flow?',
    message: `Archive ${flowName}? An archived flow cannot be changed or deployed again.`,
    confirm: 'Archive',
    destructive: true,
  });
}

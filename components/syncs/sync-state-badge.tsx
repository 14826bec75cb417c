import type { SyncState } from '@/lib/schemas/sync-view';
import { Badge } from '@/components/ui/badge';
import { stateLabels, stateTones } from './sync-format';

export function SyncStateBadge({ state }: { state: SyncState }) {
  return (
    <span data-testid="sync-state" data-state={state}>
      <Badge tone={stateTones[state]}>{stateLabels[state]}</Badge>
    </span>
  );
}

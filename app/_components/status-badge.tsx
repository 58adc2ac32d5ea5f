import { STATUS_LABELS } from '../../lib/format.ts';
import type { MunicipalityStatus } from '../../lib/contracts/live.ts';

const ICONS: Record<MunicipalityStatus, string> = { waiting: '○', counting: '◐', complete: '●' };

/** Status as icon, text and colour together, so no one depends on colour alone. */
export function StatusBadge({ status }: { status: MunicipalityStatus }) {
  return (
    <span className={`status status--${status}`}>
      <span aria-hidden="true" className="status__icon">{ICONS[status]}</span> {STATUS_LABELS[status]}
    </span>
  );
}

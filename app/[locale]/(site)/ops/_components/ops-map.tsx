'use client';
// The status map on the ops board, folded away until asked for (the board is the working view). The board
// lists only municipalities that are not complete, so every other shape is drawn as complete.
import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import type { BoardRow } from '../../../../../lib/contracts/ops.ts';
import { mapMunicipalityFromBoardRow } from '../../../../../lib/domain/status-map.ts';
import { StatusMapSection } from '../../../../_components/status-map-section.tsx';

export function OpsMap({ rows, now }: { rows: readonly BoardRow[]; now: Date }) {
  const t = useTranslations('opsMap');
  const [open, setOpen] = useState(false);
  const municipalities = useMemo(() => rows.map(mapMunicipalityFromBoardRow), [rows]);
  return (
    <details className="panel ops-map" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('summary')}</summary>
      {open ? (
        <StatusMapSection municipalities={municipalities} now={now} label={t('label')} missingAs="complete" />
      ) : null}
    </details>
  );
}

'use client';
// The status map on the ops board, folded away until asked for (the board is the working view). The board
// lists only municipalities that are not complete, so every other shape is drawn as complete.
import { useMemo, useState } from 'react';
import type { BoardRow } from '../../../../../lib/contracts/ops.ts';
import { mapMunicipalityFromBoardRow } from '../../../../../lib/domain/status-map.ts';
import { StatusMapSection } from '../../../../_components/status-map-section.tsx';

export function OpsMap({ rows, now }: { rows: readonly BoardRow[]; now: Date }) {
  const [open, setOpen] = useState(false);
  const municipalities = useMemo(() => rows.map(mapMunicipalityFromBoardRow), [rows]);
  return (
    <details className="panel ops-map" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Kart over kommunene</summary>
      {open ? (
        <StatusMapSection municipalities={municipalities} now={now} label="Kart over kommunene som ikke er ferdig opptalt, fargelagt etter status" missingAs="complete" />
      ) : null}
    </details>
  );
}

// The overview's first screen as a compact model: what the server renders and ships with the page (the
// night-status panel, the watchlist, the first rows of the table, the national figures) instead of all 357
// municipalities. The browser fetches the full snapshot as its live socket connects and replaces this
// with it; until then the page shows exactly what the full snapshot would on its first screen.
import type { Snapshot } from '../contracts/live.ts';
import { DEFAULT_QUERY, latestResultAt, listCounties, queryMunicipalities } from './municipality-query.ts';
import { computeNightStatus, type NightStatus } from './night-status.ts';

/** The table's rows before the reader asks for more (app/_components/municipality-explorer.tsx). */
export const FIRST_SCREEN_ROWS = 25;

/** What the first screen shows that is computed over every municipality, computed on the server. */
export interface FirstScreenFacts {
  municipalitiesTotal: number;
  counties: Array<[string, string]>;
  ledger: Pick<NightStatus, 'districtsCountedLocally' | 'districtsPublished' | 'districtsTotal' | 'ballotsPendingEstimate'>;
  latestResultAt: string | null;
}

/** A snapshot holding only the first screen's municipalities, with the facts computed over all of them. */
export type OverviewFirstScreen = Snapshot & { firstScreen: FirstScreenFacts };

export function computeFirstScreen(snapshot: Snapshot, rows = FIRST_SCREEN_ROWS): OverviewFirstScreen {
  const all = snapshot.municipalities;
  const night = computeNightStatus(all);
  const wanted = new Set<string>([
    ...night.behind.map((m) => m.number),
    ...all.filter((m) => m.watch).map((m) => m.number),
    // The default order is total, so these are the first rows over the subset as well.
    ...queryMunicipalities(all, DEFAULT_QUERY).slice(0, rows).map((m) => m.number),
  ]);
  const { districtsCountedLocally, districtsPublished, districtsTotal, ballotsPendingEstimate } = night;
  return {
    ...snapshot,
    municipalities: all.filter((m) => wanted.has(m.number)),
    firstScreen: {
      municipalitiesTotal: all.length,
      counties: listCounties(all),
      ledger: { districtsCountedLocally, districtsPublished, districtsTotal, ballotsPendingEstimate },
      latestResultAt: latestResultAt(all),
    },
  };
}

/** The first-screen facts of a state, or null once it holds every municipality (a full snapshot). */
export function findFirstScreenFacts(state: Snapshot | OverviewFirstScreen): FirstScreenFacts | null {
  return 'firstScreen' in state ? state.firstScreen : null;
}

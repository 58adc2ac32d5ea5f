'use client';
// The served election (GET /api/v1/election) for client components: names, headings and the comparison year
// come from the package, never from the code.
import { useTranslations } from 'next-intl';
import { createContext, useContext, type ReactNode } from 'react';
import type { ElectionInfo } from '../../lib/contracts/election.ts';

const ElectionContext = createContext<ElectionInfo | null>(null);

export function ElectionProvider({ election, children }: { election: ElectionInfo | null; children: ReactNode }) {
  return <ElectionContext.Provider value={election}>{children}</ElectionContext.Provider>;
}

/** The served election; null only while the sidecar could not be asked (the page then says less). */
export function useElection(): ElectionInfo | null {
  return useContext(ElectionContext);
}

/** "Kommunestyrevalget 2023" → "kommunestyrevalget 2023", for use inside a sentence or after a colon. */
export function inSentence(name: string): string {
  return name.charAt(0).toLocaleLowerCase('nb') + name.slice(1);
}

/** ", endring fra 2019" in the page's language, or "" when the election has no comparison year. */
export function useChangeSince(election: ElectionInfo | null): string {
  const t = useTranslations('common');
  return election?.comparisonYear ? t('changeSince', { year: String(election.comparisonYear) }) : '';
}

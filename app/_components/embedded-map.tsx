'use client';
import { useTranslations } from 'next-intl';
import { Link } from '../_i18n/navigation.ts';
// Embed: the status map, live, with its text alternative; links open the site in a new tab.
import type { Snapshot } from '../../lib/contracts/live.ts';
import { useLiveOverview } from '../_hooks/use-live-views.ts';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { StatusMapSection } from './status-map-section.tsx';
import { SourceLine, SourceWarning } from './source-line.tsx';

export function EmbeddedMap({ initial, sidecarUrl }: { initial: Snapshot; sidecarUrl: string | null }) {
  const { state, connection, clockAnchor } = useLiveOverview(initial, sidecarUrl);
  const now = useServerNow(clockAnchor, 15_000);
  const t = useTranslations('embed');
  return (
    <article className="embed-card" aria-labelledby="embed-heading" data-connection={connection}>
      <h1 id="embed-heading" className="embed-card__title">{t('mapHeading')}</h1>
      <SourceWarning source={state.source} now={now} />
      <StatusMapSection municipalities={state.municipalities} now={now} label={t('mapLabel')} leaderMode linkTarget="_blank" listHeading="h2" />
      <SourceLine source={state.source} now={now} compact warning={false} />
      <p className="embed-card__source">{t.rich('via', { link: (chunks) => <Link href="/" target="_blank" rel="noopener">{chunks}</Link> })}. {t('mapSource')}</p>
    </article>
  );
}

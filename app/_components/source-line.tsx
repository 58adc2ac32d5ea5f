'use client';
// Where the numbers come from: the municipalities' own reports, or the official feed and when it was last
// read, with a warning while the feed is down or its watchdog silent. The health is judged again on the
// server's clock as it moves, so a page turns "late" without a delta.
import type { Locale } from '../../lib/i18n/locale.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import type { FeedSource } from '../../lib/contracts/feed-status.ts';
import { describeSource, refreshFeedSource } from '../../lib/domain/feed-status.ts';

function describe(source: FeedSource | undefined, now: Date, locale: Locale) {
  return describeSource(refreshFeedSource(source ?? { kind: 'municipalities', feed: null }, now), locale);
}

/**
 * `warning={false}`: the text only, for a card that shows the warning above its numbers with SourceWarning
 * (an embed's source line sits below a long list or chart, out of a phone's first screen).
 */
export function SourceLine({ source, now, compact = false, warning: withWarning = true }: { source: FeedSource | undefined; now: Date; compact?: boolean; warning?: boolean }) {
  const { text, warning } = describe(source, now, usePageLocale());
  return (
    <div className={compact ? 'source-line source-line--compact' : 'source-line'} data-testid="source-line">
      <p className="source-line__text">{text}</p>
      {withWarning && warning ? <p className="source-line__warning" role="status" data-testid="source-warning">{warning}</p> : null}
    </div>
  );
}

/** The feed warning alone (nothing while the feed is fine), to stand before the numbers it qualifies. */
export function SourceWarning({ source, now }: { source: FeedSource | undefined; now: Date }) {
  const { warning } = describe(source, now, usePageLocale());
  return warning ? <p className="source-line__warning source-line__warning--lead" role="status" data-testid="source-warning">{warning}</p> : null;
}

'use client';
// Where the numbers come from: the municipalities' own reports, or the official feed and when it was last
// read, with a warning while the feed is down or its watchdog silent. The health is judged again on the
// server's clock as it moves, so a page turns "late" without a delta.
import type { FeedSource } from '../../lib/contracts/feed-status.ts';
import { describeSource, refreshFeedSource } from '../../lib/domain/feed-status.ts';

export function SourceLine({ source, now, compact = false }: { source: FeedSource | undefined; now: Date; compact?: boolean }) {
  const { text, warning } = describeSource(refreshFeedSource(source ?? { kind: 'municipalities', feed: null }, now));
  return (
    <div className={compact ? 'source-line source-line--compact' : 'source-line'} data-testid="source-line">
      <p className="source-line__text">{text}</p>
      {warning ? <p className="source-line__warning" role="status" data-testid="source-warning">{warning}</p> : null}
    </div>
  );
}

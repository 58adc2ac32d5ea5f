import type { OpsBoard, QueueMetrics } from '../../../../../lib/contracts/ops.ts';
import { formatAge, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { LazyQueueChart } from './lazy-ops-charts.tsx';
import { formatDecimal, formatMinutes, plural } from './ops-format.ts';

function eta(queue: QueueMetrics, now: Date) {
  if (queue.depth === 0) return 'Køen er tom';
  if (queue.etaMinutes === null) return 'Tømmes ikke nå';
  const at = new Date(now.getTime() + queue.etaMinutes * 60_000).toISOString();
  return <>ca. {formatMinutes(queue.etaMinutes)} <span className="sub">(kl. {formatClockShort(at)})</span></>;
}

/**
 * The national transfer queue: counting units counted locally whose results have not arrived. Units are the
 * election-day districts and each municipality's advance-vote unit — "telleenheter", not the public pages'
 * "kretser" (election-day districts only), so the two numbers are never set against each other.
 */
export function BacklogPanel({ queue, history, now }: { queue: QueueMetrics; history: OpsBoard['queueHistory']; now: Date }) {
  return (
    <section className="panel ops-backlog" aria-labelledby="backlog-heading">
      <h2 id="backlog-heading">Overføringskø</h2>
      <p className="lead">Telleenheter (valgkretser og forhåndsstemmer) som er ferdig talt lokalt, men der resultatet ikke er mottatt.</p>
      <dl className="key-figures key-figures--compact">
        <div>
          <dt>I kø</dt>
          <dd data-testid="queue-depth">{plural(queue.depth, 'telleenhet', 'telleenheter')}</dd>
        </div>
        <div>
          <dt>Eldste lokale opptelling i kø</dt>
          <dd>
            {queue.oldestPendingSince ? (
              <><time dateTime={queue.oldestPendingSince}>{formatClockShort(queue.oldestPendingSince)}</time> <span className="sub">{formatAge(queue.oldestPendingSince, now)}</span></>
            ) : '–'}
          </dd>
        </div>
        <div>
          <dt>Tømmes</dt>
          <dd>{formatDecimal(queue.drainPerMinute)} per min</dd>
        </div>
        <div>
          <dt>Tom om</dt>
          <dd>{eta(queue, now)}</dd>
        </div>
        <div>
          <dt>Kommuner med etterslep</dt>
          <dd data-testid="queue-municipalities">{formatInteger(queue.municipalitiesWithBacklog)}</dd>
        </div>
        <div>
          <dt>Talt lokalt / mottatt</dt>
          <dd data-testid="queue-ledgers">{formatInteger(queue.districtsCountedLocally)} / {formatInteger(queue.districtsReceived)} telleenheter</dd>
        </div>
        <div>
          <dt>Stemmer som venter</dt>
          <dd data-testid="queue-ballots">ca. {formatInteger(queue.ballotsPendingEstimate)}</dd>
        </div>
      </dl>
      <LazyQueueChart history={history} />
    </section>
  );
}

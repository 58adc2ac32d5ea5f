import type { Metadata } from 'next';
import Link from 'next/link';
import { formatClock, formatDateTime } from '../../../lib/format.ts';
import { getRecentRevisions } from '../../_data/sidecar.ts';

// Server-rendered per request and without client JavaScript: a record to read, not a live view.
export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Endringslogg' };

const SHOWN = 200;

export default async function RevisionLogPage() {
  const { revisions } = await getRecentRevisions(SHOWN);
  return (
    <>
      <h1>Endringslogg</h1>
      <p className="lead">
        Alt som har endret tallene eller statusen til en kommune, i rekkefølge: mottatte opptellinger, korrigeringer,
        endringer i status og merknader fra valgmyndighetene. Ingenting slettes; en korrigering vises som en ny linje.
      </p>
      <section className="panel" aria-labelledby="revisions-caption">
        <div className="table-scroll" tabIndex={0}>
          <table className="data-table revision-table" aria-labelledby="revisions-caption">
            <caption id="revisions-caption">De siste {revisions.length} endringene, nyeste først</caption>
            <thead>
              <tr>
                <th scope="col">Tid</th>
                <th scope="col">Kommune</th>
                <th scope="col">Endring</th>
                <th scope="col">Av</th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((r) => (
                <tr key={r.seq} data-seq={r.seq}>
                  <td className="nowrap"><time dateTime={r.at} title={formatClock(r.at)}>{formatDateTime(r.at)}</time></td>
                  <td>{r.municipality ? <Link href={`/kommune/${r.municipality}`}>{r.municipalityName ?? r.municipality}</Link> : '–'}</td>
                  <td className="revision-table__change">{r.description}</td>
                  <td>{actorName(r.actor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {revisions.length === 0 ? <p>Ingen endringer ennå.</p> : null}
      </section>
    </>
  );
}

/** The log's actors in words: ingest tokens are the municipality's counting system, the monitor is Valgvakt. */
function actorName(actor: string): string {
  if (actor === 'valgmyndighetene') return 'Valgmyndighetene';
  if (actor.startsWith('ingest:')) return 'Kommunens valgsystem';
  if (actor.startsWith('system:')) return 'Valgvakt (automatisk)';
  return actor;
}

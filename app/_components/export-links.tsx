'use client';
// Links to the newsroom exports (docs/api.md, "Newsroom exports") for a page's scope: the nation, one
// county or one municipality. The files are served by the sidecar, whose public address the browser may
// have to work out itself (as the live socket does), so the links are completed in the browser when the
// server does not know it.
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { resolveSidecarUrl } from '../_lib/live-socket.ts';
import { useElection } from './election-context.tsx';

export type ExportScope = { kind: 'national' } | { kind: 'county'; number: string } | { kind: 'municipality'; number: string };

interface ExportLink {
  /** The link's words in the `exports` catalogue. */
  label: 'municipality' | 'municipalities' | 'districts' | 'parties' | 'seats';
  path: string;
}

/** The exports that fit a scope, as paths on the sidecar (without the format). */
function linksFor(scope: ExportScope, reportedSeats: boolean): ExportLink[] {
  const filter = scope.kind === 'national' ? '' : `?${scope.kind}=${encodeURIComponent(scope.number)}`;
  const links: ExportLink[] = [
    { label: scope.kind === 'municipality' ? 'municipality' : 'municipalities', path: `/api/v1/export/municipalities.{format}${filter}` },
    { label: 'districts', path: `/api/v1/export/districts.{format}${filter}` },
  ];
  // The party export is national only.
  if (scope.kind === 'national') links.push({ label: 'parties', path: '/api/v1/export/parties.{format}' });
  // Seats as the source reported them, per county and nationally (storting elections).
  if (reportedSeats && scope.kind !== 'municipality') links.push({ label: 'seats', path: `/api/v1/export/seats.{format}${filter}` });
  return links;
}

export function ExportLinks({ scope, sidecarUrl }: { scope: ExportScope; sidecarUrl: string | null }) {
  // Known at once when configured; otherwise the page's host on the sidecar's port, known after hydration.
  const [base, setBase] = useState<string | null>(sidecarUrl ? sidecarUrl.replace(/\/$/, '') : null);
  useEffect(() => setBase(resolveSidecarUrl(sidecarUrl)), [sidecarUrl]);
  const election = useElection();
  const t = useTranslations('exports');
  return (
    <section className="panel export-links" aria-labelledby="export-links-heading">
      <h2 id="export-links-heading">{t('heading')}</h2>
      <p className="muted">{t('lead')}</p>
      <ul className="export-links__list">
        {linksFor(scope, election?.kind === 'storting').map((link) => (
          <li key={link.path}>
            {t(link.label)}:{' '}
            {(['csv', 'json'] as const).map((format, i) => {
              const href = base === null ? undefined : `${base}${link.path.replace('{format}', format)}`;
              return (
                <span key={format}>
                  {i > 0 ? ' · ' : null}
                  <a href={href} aria-disabled={href === undefined} download={format === 'csv' ? true : undefined}>
                    {format.toUpperCase()}<span className="visually-hidden"> – {t(link.label)}</span>
                  </a>
                </span>
              );
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}

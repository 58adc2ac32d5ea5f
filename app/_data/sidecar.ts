// The only place server components read data: the sidecar's public read API (its in-memory read model),
// validated on the way in. Server-only: the sidecar's internal address never reaches the browser.
import 'server-only';
import { ZCountyDetail, ZMunicipalityDetail, ZSnapshot, type CountyDetail, type MunicipalityDetail, type Snapshot } from '../../lib/contracts/live.ts';
import { ZRevisionPage, type Revision } from '../../lib/contracts/ops.ts';
import { computePublicSidecarAddress } from '../../lib/sidecar-address.ts';
import { ZElectionInfo, type ElectionInfo } from '../../lib/contracts/election.ts';
import type { Locale } from '../../lib/i18n/locale.ts';

export function sidecarUrl(): string {
  return process.env.SIDECAR_URL ?? 'http://127.0.0.1:3001';
}

/** Where browsers reach the sidecar: SIDECAR_PUBLIC_URL, or a port on the page's host (lib/sidecar-address.ts). */
export function publicSidecarUrl(): string {
  return computePublicSidecarAddress({ publicUrl: process.env.SIDECAR_PUBLIC_URL, sidecarPort: process.env.SIDECAR_PORT, sidecarUrl: process.env.SIDECAR_URL });
}

export async function getSnapshot(): Promise<Snapshot> {
  const response = await fetch(`${sidecarUrl()}/api/v1/snapshot`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`snapshot: sidecar answered ${response.status}`);
  return ZSnapshot.parse(await response.json());
}

export async function findMunicipalityDetail(number: string): Promise<MunicipalityDetail | null> {
  const response = await fetch(`${sidecarUrl()}/api/v1/municipalities/${encodeURIComponent(number)}`, { cache: 'no-store' });
  if (response.status === 404 || response.status === 400) return null;
  if (!response.ok) throw new Error(`municipality ${number}: sidecar answered ${response.status}`);
  return ZMunicipalityDetail.parse(await response.json());
}

export async function findCountyDetail(number: string): Promise<CountyDetail | null> {
  const response = await fetch(`${sidecarUrl()}/api/v1/counties/${encodeURIComponent(number)}`, { cache: 'no-store' });
  if (response.status === 404 || response.status === 400) return null;
  if (!response.ok) throw new Error(`county ${number}: sidecar answered ${response.status}`);
  return ZCountyDetail.parse(await response.json());
}

/**
 * A page of the revision log back from `before` (default: from the newest), newest first, optionally one
 * municipality's; null when the sidecar knows no such municipality.
 */
export async function findRevisionsBefore(options: { before?: number; municipality?: string; limit: number; lang: Locale }): Promise<{ latestSeq: number; revisions: Revision[]; nextBefore: number | null } | null> {
  const query: Record<string, string> = { limit: String(options.limit), before: String(options.before ?? Number.MAX_SAFE_INTEGER) };
  if (options.municipality) query.municipality = options.municipality;
  // The descriptions in the page's language (the sidecar tells them from the changes' facts).
  query.lang = options.lang;
  const response = await fetch(`${sidecarUrl()}/api/v1/changes?${new URLSearchParams(query)}`, { cache: 'no-store' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`changes: sidecar answered ${response.status}`);
  const page = ZRevisionPage.parse(await response.json());
  return { latestSeq: page.latestSeq, revisions: page.revisions.toReversed(), nextBefore: page.nextBefore ?? null };
}

/** The served election; null when the sidecar cannot be reached (the layout then shows no election name). */
export async function findElectionInfo(): Promise<ElectionInfo | null> {
  try {
    const response = await fetch(`${sidecarUrl()}/api/v1/election`, { cache: 'no-store' });
    if (!response.ok) return null;
    return ZElectionInfo.parse(await response.json());
  } catch {
    return null;
  }
}

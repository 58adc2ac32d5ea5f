// Loads an election's reference data (municipalities, districts, lists, earlier results). Idempotent:
// rows that exist are left as they are, so seeding twice, or on every start, changes nothing.
import type { Db } from './client.ts';
import type { ElectionKind } from '../lib/contracts/election.ts';

export interface ReferenceData {
  election: {
    id: string; name: string; kind: ElectionKind; electionDay: string; pollsCloseAt: string;
    timeZone: string; comparisonYear: number | null; packageHash: string | null;
  };
  municipalities: Array<{
    number: string; name: string; countyNumber: string; countyName: string;
    electorate: number; councilSize: number; expectedTurnout: number; comparisonTurnout: number | null; watch: boolean;
    arrivalMinutes: number[]; advanceMinutes: number | null;
  }>;
  districts: Array<{ municipality: string; number: string; name: string; electorate: number; kind: 'advance' | 'election_day' }>;
  partyLists: Array<{ municipality: string; code: string; name: string }>;
  referenceResults: Array<{ municipality: string; year: number; code: string; name: string; votes: number }>;
}

export interface SeedOutcome {
  /** loaded: rows were written; unchanged: this package was loaded before, nothing was written. */
  status: 'loaded' | 'unchanged';
  municipalities: number;
  districts: number;
  partyLists: number;
  referenceResults: number;
}

/** A package whose election is already loaded from different files: refused, nothing written. */
export class ElectionPackageConflict extends Error {}

/**
 * Loads an election in one transaction (all or nothing) and reports how many rows were new. Idempotent: a
 * package loaded before (same hash) writes nothing; rows that exist are left as they are (the watch flag is
 * the operators' once the night runs). A different package under a loaded election's id is refused.
 */
export async function seedReferenceData(db: Db, data: ReferenceData): Promise<SeedOutcome> {
  const { election } = data;
  return db.$transaction(async (tx) => {
    const existing = await tx.election.findUnique({ where: { id: election.id }, select: { packageHash: true } });
    if (existing && election.packageHash && existing.packageHash === election.packageHash) {
      return { status: 'unchanged', municipalities: 0, districts: 0, partyLists: 0, referenceResults: 0 };
    }
    if (existing?.packageHash && election.packageHash && existing.packageHash !== election.packageHash) {
      throw new ElectionPackageConflict(`election ${election.id} is already loaded from a different package (sha256 ${existing.packageHash.slice(0, 12)}…); a loaded election's package cannot change`);
    }
    const fields = {
      name: election.name, kind: election.kind, electionDay: new Date(election.electionDay), pollsCloseAt: new Date(election.pollsCloseAt),
      timeZone: election.timeZone, comparisonYear: election.comparisonYear, packageHash: election.packageHash,
    };
    await tx.election.upsert({
      where: { id: election.id },
      create: { id: election.id, ...fields },
      // An election loaded before packages existed (no hash) takes the package's description.
      update: existing && !existing.packageHash ? fields : {},
    });
    const municipalities = await tx.municipality.createMany({
      data: data.municipalities.map((m) => ({ ...m, electionId: election.id })),
      skipDuplicates: true,
    });
    const ids = new Map(
      (await tx.municipality.findMany({ where: { electionId: election.id }, select: { id: true, number: true } })).map((m) => [m.number, m.id]),
    );
    const idOf = (number: string): number => {
      const id = ids.get(number);
      if (id === undefined) throw new Error(`reference data names unknown municipality ${number}`);
      return id;
    };
    const districts = await tx.district.createMany({
      data: data.districts.map(({ municipality, ...d }) => ({ ...d, municipalityId: idOf(municipality) })),
      skipDuplicates: true,
    });
    const partyLists = await tx.partyList.createMany({
      data: data.partyLists.map(({ municipality, ...p }) => ({ ...p, municipalityId: idOf(municipality) })),
      skipDuplicates: true,
    });
    const referenceResults = await tx.referenceResult.createMany({
      data: data.referenceResults.map(({ municipality, ...r }) => ({ ...r, municipalityId: idOf(municipality) })),
      skipDuplicates: true,
    });
    return { status: 'loaded', municipalities: municipalities.count, districts: districts.count, partyLists: partyLists.count, referenceResults: referenceResults.count };
  }, { timeout: 120_000 });
}

export async function findElectionId(db: Db, id: string): Promise<string | null> {
  return (await db.election.findUnique({ where: { id }, select: { id: true } }))?.id ?? null;
}

/** What the database holds: every election with its size, for `npm run election -- list`. */
export async function listElections(db: Db) {
  const rows = await db.election.findMany({
    orderBy: [{ electionDay: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, kind: true, electionDay: true, pollsCloseAt: true, timeZone: true, comparisonYear: true, packageHash: true, _count: { select: { municipalities: true, changes: true } } },
  });
  const watched = await db.municipality.groupBy({ by: ['electionId'], where: { watch: true }, _count: { _all: true } });
  const watchOf = new Map(watched.map((w) => [w.electionId, w._count._all]));
  return rows.map(({ _count, ...row }) => ({ ...row, municipalities: _count.municipalities, changes: _count.changes, watched: watchOf.get(row.id) ?? 0 }));
}

/** The served election's description (GET /api/v1/election). */
export async function findElectionInfo(db: Db, id: string) {
  return db.election.findUnique({ where: { id }, select: { id: true, name: true, kind: true, electionDay: true, pollsCloseAt: true, timeZone: true, comparisonYear: true } });
}

/**
 * Reference data as the read model needs it: every municipality with its districts and lists, and the final
 * votes of earlier elections (years before this election's) for comparison.
 */
export async function listMunicipalityReferences(db: Db, electionId: string) {
  const election = await db.election.findUniqueOrThrow({ where: { id: electionId }, select: { electionDay: true } });
  const rows = await db.municipality.findMany({
    where: { electionId },
    orderBy: { number: 'asc' },
    include: {
      districts: { orderBy: { number: 'asc' }, select: { id: true, number: true, name: true, electorate: true, kind: true } },
      partyLists: { orderBy: { code: 'asc' }, select: { id: true, code: true, name: true } },
      referenceResults: {
        where: { year: { lt: election.electionDay.getUTCFullYear() } },
        orderBy: [{ year: 'desc' }, { code: 'asc' }],
        select: { year: true, code: true, votes: true },
      },
    },
  });
  return rows;
}
export type MunicipalityReferenceRow = Awaited<ReturnType<typeof listMunicipalityReferences>>[number];

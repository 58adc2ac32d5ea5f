// The one Prisma client factory. Every database access goes through a client made here.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from './generated/prisma/client.ts';

export interface DbOptions {
  /** Pool size. PGlite executes one query at a time whatever this is; a server benefits from a few. */
  maxConnections?: number;
}

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const adapter = new PrismaPg({ connectionString, max: options.maxConnections ?? 8 });
  return new PrismaClient({ adapter });
}

// Prisma CLI configuration, for those with the normal CLI and its engine (not needed to run Valgvakt:
// `npm run db:migrate` applies migrations through Prisma's WebAssembly schema engine, see db/migrate.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://127.0.0.1:5432/valgvakt' },
});

// The npm registry reachable here does not serve some other platforms' prebuilt packages (e.g. Next's
// @next/swc-darwin-arm64), so `npm install` leaves them out of package-lock.json and `npm ci` then refuses
// the lockfile. Optional packages for another OS/CPU are never fetched, so an entry naming the package,
// version, os and cpu is all npm needs. Run after any `npm install` that rewrites the lockfile:
//   npm run lockfile:fix
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /-(darwin|win32|linux|freebsd|android)-(arm64|x64|ia32|arm)(?:-|$)/;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    const match = name.match(PLATFORM);
    if (lock.packages[target] || !match || !/^\d+\.\d+\.\d+$/.test(version)) continue;
    lock.packages[target] = { version, cpu: [match[2]], optional: true, os: [match[1]] };
    added += 1;
    console.log(`stub ${target}@${version} (${match[1]}/${match[2]}, wanted by ${location || 'the project'})`);
  }
}
if (added > 0) {
  const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync('package-lock.json', `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
}
console.log(added ? `added ${added} platform stub(s)` : 'lockfile complete');

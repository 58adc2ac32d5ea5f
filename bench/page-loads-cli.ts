// npm run bench:pages -- [--seconds 10] [--connections 50] [--until 00:30] [--port-base 4470] [--no-nginx] [--json FILE]
// Overview loads per second from one bare web process and behind nginx, with the first-load bytes
// (bench/page-loads.ts). Needs `npm run build` first; installs Debian's nginx if missing (as root).
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { PAGE_LOAD_GOALS, ensureNginx, measurePageLoads } from './page-loads.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    until: { type: 'string', default: '00:30' },
    'port-base': { type: 'string', default: '4470' },
    'no-nginx': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

let nginx = !values['no-nginx'];
if (nginx && !ensureNginx()) {
  console.error('nginx is not available: measuring without the shared cache');
  nginx = false;
}

const log = (line: string) => console.log(`[pages] ${line}`);
const report = await measurePageLoads({
  portBase: Number(values['port-base']), seconds: Number(values.seconds), connections: Number(values.connections),
  until: values.until, nginx, log,
});

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
console.log('\n| scenario | loads/s | p50 ms | p99 ms | failures | goal | verdict | load avg |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
for (const row of report.rows) {
  console.log(`| ${row.scenario} | ${row.loadsPerSecond} | ${row.p50Ms} | ${row.p99Ms} | ${row.failures} | ${row.goal ?? '–'} | ${row.verdict} | ${row.loadAverage} |`);
}
const b = report.bytes;
console.log(`\noverview HTML: ${kb(b.htmlBytes)} (${kb(b.htmlGzipBytes)} gzipped, ${kb(b.htmlBrotliBytes)} brotli)`);
console.log(`first-load JavaScript: ${kb(b.firstLoadJsBytes)} (${kb(b.firstLoadJsGzipBytes)} gzipped; goal ≤ ${kb(PAGE_LOAD_GOALS.firstLoadJsGzipBytes)}: ${b.firstLoadJsGzipBytes <= PAGE_LOAD_GOALS.firstLoadJsGzipBytes ? 'met' : 'missed'})`);
console.log(`snapshot: ${kb(b.snapshotBytes)} (${kb(b.snapshotGzipBytes)} gzipped, ${kb(b.snapshotBrotliBytes)} brotli), ${b.municipalities} municipalities`);
if (Object.keys(report.cacheHeaders).length > 0) console.log(`behind nginx: ${JSON.stringify(report.cacheHeaders)}`);
for (const note of report.notes) console.log(`note: ${note}`);
console.log(`load average now: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);

// npm run feed:findings [-- --json] [--top N]: what the recorded 2025 night shows (SOURCES.md §6) — which
// municipalities' published counts stood still longest and when, which stand-stills ended together, who was
// never complete, and how many stand-stills Valgvakt's stall threshold would have flagged. Reads the
// recording, the st2025 package (polls close, time zone), the ko2023 watchlist and config/thresholds.json;
// writes nothing. The recording is read by data/official-recording.ts (its one reader); the computation is
// lib/official-feed/stand-still.ts.
import { loadShippedElection } from '../data/election-package.ts';
import { readRecording } from '../data/official-recording.ts';
import { parseRecording } from '../lib/official-feed/package-from-recording.ts';
import { computeStandStillFindings, type StandStill } from '../lib/official-feed/stand-still.ts';
import { loadThresholds } from '../server/thresholds.ts';

/** The recorder polled each municipality every 15 minutes (SOURCES.md §6). */
const POLL_INTERVAL_MS = 15 * 60_000;

function usage(message: string): never {
  console.error(`${message}\nusage: npm run feed:findings [-- --json] [--top N]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const json = args.includes('--json');
let top = 15;
for (let i = 0; i < args.length; i++) {
  // i < args.length (the loop's condition).
  const arg = args[i]!;
  if (arg === '--json') continue;
  if (arg === '--top') {
    const value = args[++i];
    if (!value || !/^[1-9]\d*$/.test(value)) usage(`--top: wants a whole number of at least 1, got ${value ?? 'nothing'}`);
    top = Number(value);
    continue;
  }
  usage(`unknown argument: ${arg}`);
}

const lines = await readRecording();
const { package: st2025 } = await loadShippedElection('st2025');
const { package: ko2023 } = await loadShippedElection('ko2023');
const thresholds = await loadThresholds();
const stallAfterMs = thresholds.election_day.preliminary.stallAfter;
const recordingEnd = lines.reduce((last, l) => (l.polledAt > last ? l.polledAt : last), '');

const findings = computeStandStillFindings(parseRecording(lines).kommune, {
  pollIntervalMs: POLL_INTERVAL_MS, pollsCloseAt: new Date(st2025.pollsCloseAt), recordingEnd, timeZone: st2025.manifest.timeZone, stallAfterMs,
});
const slow2023 = new Set(ko2023.initialWatchlist.map((w) => w.municipality));
// Where the 2023 slow-transfer municipalities stand in 2025: rank of their longest stand-still, or never complete.
const watchlist = [...slow2023].sort().map((nr) => {
  const m = findings.municipalities.find((x) => x.municipality === nr);
  const rank = findings.ranked.findIndex((s) => s.municipality === nr);
  return { municipality: nr, name: m?.name ?? null, rank: rank < 0 ? null : rank + 1, longest: m?.longest ?? null, completeAt: m?.completeAt ?? null, completeReport: m?.completeReport ?? null };
});

// No process.exit after writing: on a pipe it would cut the output short.
if (json) {
  console.log(JSON.stringify({
    recording: { lines: lines.length, end: recordingEnd, pollIntervalMinutes: POLL_INTERVAL_MS / 60_000, pollsCloseAt: st2025.pollsCloseAt },
    ranked: findings.ranked.slice(0, top).map((s) => ({ ...s, slowIn2023: slow2023.has(s.municipality) })),
    endedTogether: findings.endedTogether,
    neverComplete: findings.neverComplete.map(({ municipality: m, open }) => ({ municipality: m.municipality, name: m.name, open })),
    waitingForFirstCount: findings.waitingForFirstCount,
    stallFlags: findings.stallFlags,
    slow2023: watchlist,
  }, null, 2));
} else {
  printTables();
}

function printTables(): void {
  // Poll times are UTC in the recording; both columns are shown in Oslo local time, as the feed writes reports.
  const local = (iso: string) => new Intl.DateTimeFormat('nb-NO', { timeZone: st2025.manifest.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  const clock = (report: string | null) => (report === null ? '–' : report.slice(11, 19));
  const hm = (minutes: number | null) => {
    if (minutes === null) return '?';
    const whole = Math.round(minutes);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
  };
  const counts = (s: StandStill) => {
    const st = s.counts.pollingStations;
    const adv = s.counts.advanceVenues;
    return `${s.counts.votes ?? 0} votes, stations ${st ? `${st.done}/${st.total}` : '–'}, advance ${adv ? `${adv.done}/${adv.total}` : '–'}`;
  };

  console.log(`The 2025 night as recorded: ${lines.length} lines to ${local(recordingEnd)} (Oslo), polls close ${local(st2025.pollsCloseAt)}, municipality polls every ${POLL_INTERVAL_MS / 60_000} min.`);
  console.log(`\nLongest stand-still per municipality after its first count (top ${Math.min(top, findings.ranked.length)} of ${findings.ranked.length}); * = on the 2023 slow-transfer watchlist:\n`);
  const rows = findings.ranked.slice(0, top).map((s, i) => [
    String(i + 1), `${s.municipality} ${s.name}${slow2023.has(s.municipality) ? ' *' : ''}`,
    `${local(s.fromPoll)}–${s.untilPoll ? local(s.untilPoll) : 'end'}`, hm(s.minutes), `${hm(s.minMinutes)}–${hm(s.maxMinutes)}`,
    `${clock(s.fromReport)}–${clock(s.untilReport)}`, hm(s.reportMinutes), counts(s), `${s.endedBy === 'status' ? 'status only' : 'new votes'}${s.endedComplete ? ', complete' : ''}`,
  ]);
  const header = ['#', 'municipality', 'polls (Oslo)', 'poll clock', 'bounds', 'reports (rapportGenerert)', 'report time', 'counts standing', 'ended by'];
  // Every row has a cell per header column, so column c exists in each row and in widths.
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());

  console.log(`\nReport minutes in which at least 5 stand-stills of ${findings.stallFlags.stallAfterMinutes} min or more ended (all changes that minute, and how many of the long ones brought no new votes, in brackets):`);
  if (findings.endedTogether.length === 0) console.log('  none');
  for (const g of findings.endedTogether.slice(0, top)) {
    console.log(`  ${g.reportMinute.slice(11)} [${g.changesInMinute} changes, ${g.statusOnly} status only] (polls ${g.polls.map(local).join(', ')}): ${g.standStills.map((s) => `${s.name} ${hm(s.minutes)}`).join(', ')}`);
  }

  console.log(`\nNever complete by the last poll (${local(recordingEnd)}): ${findings.neverComplete.length}${findings.neverComplete.length === 0 ? '' : ' —'}`);
  for (const { municipality: m, open } of findings.neverComplete) {
    console.log(`  ${m.municipality} ${m.name}: ${open ? `${counts(open)}, unchanged since the poll at ${local(open.fromPoll)} (report ${clock(open.fromReport)}), at least ${hm(open.minMinutes)}` : 'no snapshot'}`);
  }
  if (findings.waitingForFirstCount.length > 0) {
    console.log(`\nNo votes at the first poll: ${findings.waitingForFirstCount.map((s) => `${s.municipality} ${s.name} (first count at the poll at ${s.untilPoll ? local(s.untilPoll) : 'never'}, report ${clock(s.untilReport)})`).join(', ')}`);
  }
  console.log(`\nThe 2023 slow-transfer watchlist (elections/ko2023/watchlist.csv) in 2025 — rank of the longest stand-still of ${findings.ranked.length}, and when complete:`);
  console.log(`  ${watchlist.map((w) => `${w.municipality} ${w.name ?? '?'} ${w.rank === null || w.longest === null ? '–' : `#${w.rank} ${hm(w.longest.minutes)}`}, ${w.completeAt ? `complete ${local(w.completeAt)}` : 'never complete'}`).join('\n  ')}`);
  const f = findings.stallFlags;
  console.log(`\nValgvakt's stall threshold (stallAfter ${f.stallAfterMinutes} min, election-day preliminary): ${f.nominal} stand-stills reach it poll to poll (${f.municipalities} municipalities), ${f.certain} surely (lower bound), ${f.possible} possibly (upper bound, unended ones included).`);
}

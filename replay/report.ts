// Progress line and end-of-run summary for the replay, in plain text.
import type { ReplayPlan } from '../lib/replay/plan.ts';
import type { ReplayProgress, ReplayResult } from './runner.ts';

function oslo(iso: string): string {
  return new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatReplayProgress(p: ReplayProgress): string {
  const share = p.total ? Math.floor((p.sent / p.total) * 100) : 100;
  const width = 24;
  const bar = '#'.repeat(Math.round((share / 100) * width)).padEnd(width, '.');
  return `[${bar}] ${String(share).padStart(3)}%  ${oslo(p.clock)}  sent ${p.sent}/${p.total}  created ${p.created}  resends ${p.duplicates}  conflicts ${p.conflicts}  refused ${p.refused}  unexpected ${p.unexpected}`;
}

export function formatReplaySummary(result: ReplayResult, plan: ReplayPlan): string {
  const lines = [
    `Replay "${plan.scenario}" ${result.unexpected === 0 ? 'finished' : 'FINISHED WITH UNEXPECTED ANSWERS'} in ${(result.wallMs / 1000).toFixed(1)} s`,
    `  simulated ${oslo(plan.start)} → ${oslo(result.clock)}`,
    `  requests: ${result.sent} sent of ${result.total} (${plan.dropped} dropped by fault injection), ${(result.sent / Math.max(0.001, result.wallMs / 1000)).toFixed(0)}/s`,
    `  answers: ${result.created} created, ${result.duplicates} resends recognised, ${result.conflicts} version conflicts, ${result.refused} refused, ${result.retries} retries`,
    `  unexpected answers: ${result.unexpected}`,
  ];
  for (const u of result.unexpectedAnswers.slice(0, 10)) lines.push(`    #${u.id} ${u.kind} ${u.municipality}: expected ${u.expected}, got ${u.got} ${u.body}`);
  return lines.join('\n');
}

// Built-in scenarios. "2023" reproduces the night of the 2023 municipal election with its incidents;
// "clean" is the same night with nothing going wrong.
import type { ScenarioInput } from '../contracts/scenario.ts';

export const SCENARIO_2023: ScenarioInput = {
  name: '2023',
  description:
    'Kommunestyrevalget 2023: the 27 watchlist municipalities count on time but their results transfer stalls from about 23:00 and drains after about 01:00; Oslo has counted 91 of 101 districts by 00:30 while about 35,000 ballots are published; Bergen has ten finished districts unpublished at 23:20; Voss holds its count to re-check every council ballot.',
  seed: '2023',
  countedLocally: [{ municipality: '0301', at: '00:30', districts: 91 }],
  transferBacklog: [
    { municipalities: ['0301'], from: '23:00', drainFrom: '01:00', drainPerMinute: 4, holdAdvance: true, publishCapBallots: 35_000 },
    { municipalities: ['4601'], from: '23:00', drainFrom: '01:05', drainPerMinute: 3, pendingAt: { at: '23:20', districts: 10 } },
    // Most of these finish counting by 23:00 on a normal night; their transfer stalls from about 22:30 so
    // that the national queue is growing by 23:00, as it was.
    { municipalities: 'watchlist', from: '22:30', drainFrom: '01:00', drainPerMinute: 2, jitterMinutes: 15 },
  ],
  hold: [{ municipality: '4621', from: '21:00', reason: 'alle stemmesedler til kommunestyrevalget telles på nytt', announce: true }],
};

export const SCENARIO_CLEAN: ScenarioInput = { name: 'clean', seed: '2023' };

export const BUILT_IN_SCENARIOS: Record<string, ScenarioInput> = { '2023': SCENARIO_2023, clean: SCENARIO_CLEAN };

// The console's words moved into the catalogues: bokmål must read as it did when it was written in the
// components (the browser tests assert some of it), and the counted forms must pick the right word in each
// language. Formats of ops-format.ts per locale.
import { readFileSync } from 'node:fs';
import { createTranslator, type AbstractIntlMessages } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { formatDecimal, formatMinutes } from '../../app/[locale]/(site)/ops/_components/ops-format.ts';
import type { Locale } from '../../lib/i18n/locale.ts';

/** A translator over untyped catalogues: keys and values as strings (next-intl types them only for a typed catalogue). */
interface Translate {
  (key: string, values?: Record<string, string | number>): string;
  markup(key: string, values: Record<string, string | number | ((chunks: string) => string)>): string;
}

function translator(locale: Locale, namespace: string): Translate {
  // The catalogue's JSON is the messages object next-intl reads (tests/unit/messages.test.ts checks its shape).
  const messages = JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')) as AbstractIntlMessages;
  // next-intl infers keys and values from a typed catalogue; over a JSON file read at run time it infers none.
  return createTranslator({ locale, messages, namespace }) as unknown as Translate;
}

describe('console texts', () => {
  it.each([
    ['nb', 'opsBacklog', 'units', { count: 1, n: '1' }, '1 telleenhet'],
    ['nb', 'opsBacklog', 'units', { count: 3, n: '3' }, '3 telleenheter'],
    ['nn', 'opsBacklog', 'units', { count: 3, n: '3' }, '3 teljeeiningar'],
    ['en', 'opsBacklog', 'units', { count: 1, n: '1' }, '1 counting unit'],
    ['nb', 'opsFeed', 'interval', { count: 15, n: '15' }, 'hvert 15. sekund'],
    ['en', 'opsFeed', 'interval', { count: 15, n: '15' }, 'every 15 seconds'],
    ['nb', 'opsFeed', 'unreadable', { count: 1, n: '1' }, '1 uleselig sti'],
    ['nb', 'opsFeed', 'unreadable', { count: 2, n: '2' }, '2 uleselige stier'],
    ['nb', 'opsTimeline', 'lastReceived', { count: 1, clock: '22:15', districts: '1', ballots: '812' }, 'Sist mottatt kl. 22:15: 1 krets og 812 stemmer.'],
    ['nb', 'opsTimeline', 'lastReceived', { count: 4, clock: '22:15', districts: '4', ballots: '2 812' }, 'Sist mottatt kl. 22:15: 4 kretser og 2 812 stemmer.'],
    ['nb', 'opsCharts', 'timelineProgress', { count: 9, districts: '1', total: '9', ballots: '812', clock: '22:15' }, '1 av 9 kretser og 812 stemmer kl. 22:15'],
    ['nb', 'opsCharts', 'timelineProblems', { count: 1, n: '1', states: 'stanset' }, '; 1 periode med problemer (stanset), se listen under.'],
    ['nb', 'opsCharts', 'queueLabel', { count: 1, from: '21:00', to: '22:00', n: '1' }, 'Kø over tid fra kl. 21:00 til 22:00: nå 1 telleenhet'],
    ['nb', 'opsWatchlist', 'alreadyOff', { name: 'Bodø' }, 'Bodø var allerede ikke på listen.'],
    ['nb', 'opsChannels', 'scopes.county', { county: '18' }, 'fylke 18'],
  ] as const)('%s %s.%s %j', (locale, namespace, key, values, expected) => {
    expect(translator(locale, namespace)(key, values)).toBe(expected);
  });

  it('keeps the rich texts’ hidden parts: the buttons’ accessible names read as before in bokmål', () => {
    const t = translator('nb', 'opsAlerts');
    expect(t.markup('acknowledge', { name: 'Bodø', hidden: (chunks) => chunks })).toBe('Kvitter varselet for Bodø');
    expect(translator('nb', 'opsFeed').markup('changeAck', { hidden: (chunks) => chunks })).toBe('Endre kvittering varselet om kilden');
  });

  it.each([
    [45, 'nb', '45 min'],
    [125, 'nb', '2 t 5 min'],
    [125, 'nn', '2 t 5 min'],
    [125, 'en', '2 h 5 min'],
  ] as const)('formatMinutes(%d, %s) is %s', (minutes, locale, expected) => {
    expect(formatMinutes(minutes, locale)).toBe(expected);
  });

  it('formats decimals in the locale, with a no-break space for thousands', () => {
    expect(formatDecimal(1234.56, 'nb')).toBe('1\u00a0234,6');
    expect(formatDecimal(1234.56, 'en')).toBe('1,234.6');
  });
});

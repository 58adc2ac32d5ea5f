// The newsroom API against a real sidecar: exports in JSON and CSV reflect what is committed, carry the seq
// and an ETag that revalidates to 304 until the next change; filters are checked; the socket tells a
// subscriber its lag; municipality details carry seats and the change since 2019.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/csv.ts';
import { BACKENDS, makeResultReport, nextEvent, startTestStack, type TestStack } from './harness.ts';

/** The body as sent: `response.text()` would drop the byte order mark this test is about. */
async function get(stack: TestStack, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.baseUrl}${path}`, { headers });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

describe.each(BACKENDS)('newsroom exports on %s', (backend) => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack(backend);
    const token = await stack.token('4201');
    // Risør: the advance votes and one district, all lists.
    await stack.postResult(token, makeResultReport({ municipality: '4201', district: '0000', category: 'advance', ballots: { counted: 1200, rejected: 0, blank: 10 }, votes: { A: 400, H: 500, RØDT: 290 } }));
    await stack.postResult(token, makeResultReport({ municipality: '4201', district: '0001', ballots: { counted: 600, rejected: 0, blank: 0 }, votes: { A: 300, H: 200, RØDT: 100 } }));
    await stack.settle();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves results per municipality as CSV with a BOM, semicolons and Valgdirektoratet\'s columns', async () => {
    const { response, text, bytes } = await get(stack, '/api/v1/export/municipalities.csv?municipality=4201');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="valgvakt-municipalities-\d+\.csv"$/);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1), { delimiter: ';' });
    expect(Object.keys(rows[0]!).slice(0, 7)).toEqual(['Fylkenummer', 'Fylkenavn', 'Kommunenummer', 'Kommunenavn', 'Partikode', 'Partinavn', 'Oppslutning prosentvis']);
    expect(rows.find((r) => r.Partikode === 'A')).toMatchObject({
      Kommunenavn: 'Risør', 'Antall forhåndsstemmer': '400', 'Antall valgtingstemmer': '300', 'Antall stemmer totalt': '700', Foreløpig: 'ja',
    });
    expect(rows.reduce((sum, r) => sum + Number(r['Antall mandater']), 0)).toBe(29);
    expect(Number(response.headers.get('x-valgvakt-rows'))).toBe(rows.length);
  });

  it('serves the same rows as JSON with the seq they reflect', async () => {
    const { response, text } = await get(stack, '/api/v1/export/municipalities.json?municipality=4201');
    const body = JSON.parse(text);
    expect(body.seq).toBe(Number(response.headers.get('x-valgvakt-seq')));
    expect(body.rows.find((r: { partyCode: string }) => r.partyCode === 'H')).toMatchObject({ votes: 700, advanceVotes: 500, electionDayVotes: 200, municipalityName: 'Risør' });
    const all = JSON.parse((await get(stack, '/api/v1/export/municipalities')).text);
    expect(new Set(all.rows.map((r: { municipalityNumber: string }) => r.municipalityNumber)).size).toBe(357);
  });

  it('serves districts (filtered by county) and national parties', async () => {
    const districts = JSON.parse((await get(stack, '/api/v1/export/districts.json?county=42')).text);
    expect(districts.rows.every((r: { countyNumber: string }) => r.countyNumber === '42')).toBe(true);
    expect(districts.rows.find((r: { municipalityNumber: string; districtNumber: string; partyCode: string }) =>
      r.municipalityNumber === '4201' && r.districtNumber === '0001' && r.partyCode === 'RØDT')).toMatchObject({ votes: 100, countStatus: 'preliminary' });
    const parties = parseCsv((await get(stack, '/api/v1/export/parties.csv')).text.slice(1), { delimiter: ';' });
    // A and H both have 700: equal votes and seats, so the code decides who is shown as leading.
    expect(parties.find((r) => r.Partikode === 'H')).toMatchObject({ 'Antall stemmer totalt': '700', 'Antall kommunestyrer ledet': '0' });
    expect(parties.find((r) => r.Partikode === 'A')).toMatchObject({ 'Antall stemmer totalt': '700', 'Antall kommunestyrer ledet': '1' });
  });

  it('revalidates with If-None-Match: 304 until a new report, then 200 with a new ETag', async () => {
    const first = await get(stack, '/api/v1/export/parties.json');
    const etag = first.response.headers.get('etag')!;
    expect(etag).toMatch(/^"export-parties-all-json-\d+"$/);
    expect(first.response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const again = await get(stack, '/api/v1/export/parties.json', { 'if-none-match': etag });
    expect(again.response.status).toBe(304);
    expect(again.text).toBe('');
    await stack.postResult(await stack.token('4201'), makeResultReport({ municipality: '4201', district: '0004', votes: { A: 10 }, ballots: { counted: 10, rejected: 0, blank: 0 } }));
    await stack.settle();
    const changed = await get(stack, '/api/v1/export/parties.json', { 'if-none-match': etag });
    expect(changed.response.status).toBe(200);
    expect(changed.response.headers.get('etag')).not.toBe(etag);
  });

  it('refuses unknown exports, formats and filters with the field and the reason', async () => {
    for (const [path, status, field] of [
      ['/api/v1/export/kandidater.csv', 404, 'path.kind'],
      ['/api/v1/export/municipalities.xlsx', 404, 'path.format'],
      ['/api/v1/export/municipalities.csv?municipality=42', 400, 'municipality'],
      ['/api/v1/export/municipalities.csv?municipality=9999', 404, 'municipality'],
      ['/api/v1/export/municipalities.csv?kommune=0301', 400, 'kommune'],
      ['/api/v1/export/parties.csv?county=03', 400, 'municipality'],
    ] as const) {
      const { response, text } = await get(stack, path);
      expect(response.status, path).toBe(status);
      const body = JSON.parse(text);
      expect(body.issues?.[0]?.field ?? '', path).toBe(field);
      expect(body.issues?.[0]?.reason ?? body.message, path).toBeTruthy();
    }
  });

  it('tells a socket subscriber how far behind it is', async () => {
    const viewer = await stack.viewer();
    const latest = JSON.parse((await get(stack, '/api/v1/snapshot')).text).seq;
    expect(await viewer.timeout(5000).emitWithAck('sync:check', { seq: latest - 2 })).toMatchObject({ ok: true, latestSeq: latest, behind: 2 });
    expect(await viewer.timeout(5000).emitWithAck('sync:check', { seq: -1 } as never)).toMatchObject({ ok: false });
  });

  it('gives municipality details seats, the change since 2019 and the leading party, live', async () => {
    const viewer = await stack.viewer();
    const ack = await viewer.timeout(5000).emitWithAck('municipality:join', { number: '4201' });
    if (!ack.ok) throw new Error(ack.error);
    expect(ack.detail.seats).toMatchObject({ councilSize: 29, provisional: true });
    expect(ack.detail.parties.find((p: { code: string }) => p.code === 'H')?.previousShare).toBeGreaterThan(0);
    expect(ack.detail.municipality.leadingParty?.code).toBe('A');
    const delta = nextEvent(viewer, 'municipality:updated');
    await stack.postResult(await stack.token('4201'), makeResultReport({ municipality: '4201', district: '0011', votes: { H: 900 }, ballots: { counted: 900, rejected: 0, blank: 0 } }));
    await stack.settle();
    const update = await delta;
    expect(update.municipality.leadingParty?.code).toBe('H');
    expect(update.seats.lists.find((l) => l.code === 'H')!.seats).toBeGreaterThan(ack.detail.seats.lists.find((l: { code: string }) => l.code === 'H')!.seats);
  });
});

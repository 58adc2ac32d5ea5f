// npm run bench:render: renders docs/benchmarks.md from docs/benchmarks.json (what `npm run bench` wrote),
// keeping the hand-written analysis section of the markdown already there. The bench itself writes both
// through `writeBenchDocument`, so the page and the figures never disagree.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAnalysis, renderReport, type BenchDocument } from './report.ts';
import { errorMessage } from '../lib/error-message.ts';

/** The markdown beside a JSON file and the other way round: docs/benchmarks.json ↔ docs/benchmarks.md. */
export function siblingPath(file: string, extension: '.json' | '.md'): string {
  return path.join(path.dirname(file), `${path.basename(file, path.extname(file))}${extension}`);
}

export function parseBenchDocument(text: string): BenchDocument {
  // A file the bench wrote (writeBenchDocument): its tag and top-level fields are checked here, the rest trusted.
  const document = JSON.parse(text) as Partial<BenchDocument>;
  if (document.format !== 'valgvakt-bench/1' || !Array.isArray(document.goals) || typeof document.results !== 'object' || document.results === null) {
    throw new Error('not a benchmark document (format valgvakt-bench/1 with goals and results)');
  }
  // The checks above: format, goals and results are there, as in every document writeBenchDocument writes.
  return document as BenchDocument;
}

/** Writes the JSON and renders the markdown beside it; returns the markdown. */
export async function writeBenchDocument(document: BenchDocument, markdownFile: string): Promise<string> {
  await mkdir(path.dirname(markdownFile), { recursive: true });
  await writeFile(siblingPath(markdownFile, '.json'), `${JSON.stringify(document, null, 2)}\n`);
  return renderBenchDocument(siblingPath(markdownFile, '.json'), markdownFile);
}

export async function renderBenchDocument(jsonFile: string, markdownFile = siblingPath(jsonFile, '.md')): Promise<string> {
  const document = parseBenchDocument(await readFile(jsonFile, 'utf8'));
  const previous = await readFile(markdownFile, 'utf8').catch(() => null);
  const markdown = renderReport(document, extractAnalysis(previous));
  await writeFile(markdownFile, markdown);
  return markdown;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [jsonFile = 'docs/benchmarks.json', markdownFile] = process.argv.slice(2);
  if (jsonFile === '--help' || jsonFile === '-h') {
    console.log('usage: npm run bench:render -- [FILE.json [FILE.md]]   (default docs/benchmarks.json → docs/benchmarks.md)');
    process.exit(0);
  }
  try {
    await renderBenchDocument(jsonFile, markdownFile);
    console.log(`rendered ${markdownFile ?? siblingPath(jsonFile, '.md')} from ${jsonFile}`);
  } catch (error) {
    console.error(`bench:render: ${errorMessage(error)}`);
    process.exit(1);
  }
}

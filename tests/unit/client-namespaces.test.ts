// The browser receives only the catalogue namespaces its layout hands down (app/_i18n/client-messages.tsx).
// A client component that asks for any other namespace would show raw keys, so every useTranslations call
// in a client component is checked against the lists for where it renders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CLIENT_NAMESPACES, PUBLIC_CLIENT_NAMESPACES, SIGN_IN_CLIENT_NAMESPACES } from '../../app/_i18n/client-namespaces.ts';

const APP = new URL('../../app/', import.meta.url).pathname;

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** What a client component at this place in app/ may ask for. */
function allowedFor(file: string): readonly string[] {
  if (file.endsWith('sign-in-form.tsx')) return [...PUBLIC_CLIENT_NAMESPACES, ...SIGN_IN_CLIENT_NAMESPACES];
  if (file.includes('/ops/')) return [...PUBLIC_CLIENT_NAMESPACES, ...CONSOLE_CLIENT_NAMESPACES];
  return PUBLIC_CLIENT_NAMESPACES;
}

const clientComponents = listSources(APP).filter((file) => /^\s*['"]use client['"]/m.test(readFileSync(file, 'utf8')));

describe('client catalogue namespaces', () => {
  it('finds the client components', () => {
    expect(clientComponents.length).toBeGreaterThan(10);
  });

  it.each(clientComponents.map((file) => [relative(APP, file), file]))('%s asks only for namespaces its layout hands down', (_name, file) => {
    const asked = [...readFileSync(file, 'utf8').matchAll(/useTranslations\(\s*'([^']+)'/g)].map((match) => match[1]?.split('.')[0]);
    const allowed = allowedFor(file);
    expect(asked.filter((namespace) => namespace === undefined || !allowed.includes(namespace))).toEqual([]);
  });

  it('names only namespaces the bokmål catalogue has', () => {
    const catalogue = JSON.parse(readFileSync(new URL('../../messages/nb.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    for (const namespace of [...PUBLIC_CLIENT_NAMESPACES, ...SIGN_IN_CLIENT_NAMESPACES, ...CONSOLE_CLIENT_NAMESPACES]) expect(Object.keys(catalogue)).toContain(namespace);
  });
});

import { describe, expect, it } from 'vitest';
import { firstLoadScripts } from './page-loads.ts';

describe('firstLoadScripts', () => {
  // As Next 16 writes them: module-era chunks, then the legacy polyfills marked noModule.
  const html = [
    '<html><head><script src="/_next/static/chunks/a.js" async=""></script>',
    '<script src="/_next/static/chunks/0cz1d0mv5g_q7.js" noModule=""></script>',
    '<script>self.__next_f=[]</script>',
    '</head><body><SCRIPT async src="/_next/static/chunks/b.js"></SCRIPT>',
    '<script src="/_next/static/chunks/a.js" async=""></script></body></html>',
  ].join('');

  it('counts each script a module-era browser fetches once, in page order', () => {
    expect(firstLoadScripts(html)).toEqual(['/_next/static/chunks/a.js', '/_next/static/chunks/b.js']);
  });

  it('leaves out nomodule scripts, which such a browser skips, however the attribute is spelled', () => {
    expect(firstLoadScripts('<script nomodule src="/p.js"></script><script src="/m.js" NOMODULE></script>')).toEqual([]);
  });

  it('does not mistake a name containing "nomodule" for the attribute', () => {
    expect(firstLoadScripts('<script src="/nomodule-shim.js"></script><script data-nomodule-x="1" src="/x.js"></script>')).toEqual(['/nomodule-shim.js', '/x.js']);
  });
});

// What a reader would call a broken layout, measured in the browser: the page wider than the screen, text
// on top of other text, text cut off by a box that hides its overflow, and tables that need sideways
// scrolling where the page means them to fit. Returns readable findings; none means the page is whole.
import type { Page } from '@playwright/test';

export interface LayoutFinding {
  kind: 'page-overflow' | 'overlap' | 'clipped' | 'table-scroll' | 'broken-word' | 'covered';
  what: string;
}

/** Tables that may scroll sideways on a phone (below 600 px) because their columns are all needed. */
const MAY_SCROLL_ON_PHONES = ['district-table', 'ops-table', 'seat-table', 'revision-table'];

export async function findLayoutProblems(page: Page): Promise<LayoutFinding[]> {
  return page.evaluate((mayScrollOnPhones) => {
    const findings: Array<{ kind: 'page-overflow' | 'overlap' | 'clipped' | 'table-scroll' | 'broken-word' | 'covered'; what: string }> = [];
    const doc = document.documentElement;
    const width = window.innerWidth;
    if (doc.scrollWidth > doc.clientWidth + 1) findings.push({ kind: 'page-overflow', what: `page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window` });

    const label = (el: Element) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
      return `${el.tagName.toLowerCase()}${id}${cls} "${text}"`;
    };
    const hidden = (el: Element): boolean => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return true;
        // Visually hidden on purpose, for screen readers (the class, or the same technique inline in CSS).
        if (e.classList.contains('visually-hidden') || (style.clipPath === 'inset(50%)' && e.getBoundingClientRect().width <= 1)) return true;
        if (e.tagName === 'DETAILS' && !(e as HTMLDetailsElement).open && e !== el && !e.querySelector(':scope > summary')?.contains(el)) return true;
      }
      return false;
    };

    // Text boxes: one rectangle per line of every text node that shows something.
    interface Box { el: Element; r: DOMRect }
    const boxes: Box[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const el = node.parentElement;
      if (!el || hidden(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push({ el, r });
    }

    // Overlap: two text boxes of different elements sharing more than a sliver.
    const cell = 64;
    const grid = new Map<string, Box[]>();
    const reported = new Set<string>();
    for (const box of boxes) {
      const x0 = Math.floor(box.r.left / cell), x1 = Math.floor(box.r.right / cell);
      const y0 = Math.floor((box.r.top + window.scrollY) / cell), y1 = Math.floor((box.r.bottom + window.scrollY) / cell);
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) {
        const key = `${x},${y}`;
        const held = grid.get(key) ?? [];
        for (const other of held) {
          if (other.el === box.el || other.el.contains(box.el) || box.el.contains(other.el)) continue;
          const w = Math.min(box.r.right, other.r.right) - Math.max(box.r.left, other.r.left);
          const h = Math.min(box.r.bottom, other.r.bottom) - Math.max(box.r.top, other.r.top);
          if (w > 3 && h > 3) {
            const pair = `${label(other.el)} × ${label(box.el)}`;
            if (!reported.has(pair)) {
              reported.add(pair);
              findings.push({ kind: 'overlap', what: pair });
            }
          }
        }
        held.push(box);
        grid.set(key, held);
      }
    }

    // Clipped: text that reaches beyond an ancestor which hides its overflow (scroll containers excepted:
    // their content can be scrolled to, and is checked below).
    for (const box of boxes) {
      for (let a = box.el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        const clips = (v: string) => v === 'hidden' || v === 'clip';
        if (!clips(style.overflowX) && !clips(style.overflowY)) continue;
        const c = a.getBoundingClientRect();
        if (box.r.right > c.right + 2 || box.r.left < c.left - 2 || (clips(style.overflowY) && (box.r.bottom > c.bottom + 2 || box.r.top < c.top - 2))) {
          findings.push({ kind: 'clipped', what: `${label(box.el)} cut off by ${label(a)}` });
        }
        break;
      }
    }

    // Words broken between letters ("Stavang|er"): a word of the page's HTML text laid out on two lines.
    const words = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = words.nextNode(); node; node = words.nextNode()) {
      const text = node.textContent ?? '';
      const el = node.parentElement;
      if (!el || !text.trim() || el.closest('svg') || hidden(el)) continue;
      for (const match of text.matchAll(/[\p{L}\p{N}]{4,}/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) findings.push({ kind: 'broken-word', what: `"${match[0]}" in ${label(el)}` });
      }
    }

    // Chart marks drawn over text (the 2019 ticks over value labels).
    for (const mark of document.querySelectorAll('.chart-marker')) {
      const m = mark.getBoundingClientRect();
      for (const box of boxes) {
        if (!box.el.closest('svg')) continue;
        const w = Math.min(m.right, box.r.right) - Math.max(m.left, box.r.left);
        const h = Math.min(m.bottom, box.r.bottom) - Math.max(m.top, box.r.top);
        if (w > 0.5 && h > 2) findings.push({ kind: 'covered', what: `${label(box.el)} under a chart mark` });
      }
    }

    // Tables that need sideways scrolling: a reader sees a column cut off at the edge.
    for (const wrapper of document.querySelectorAll('.table-scroll')) {
      if (hidden(wrapper)) continue;
      const table = wrapper.querySelector('table');
      if (!table || wrapper.scrollWidth <= wrapper.clientWidth + 1) continue;
      const allowed = width < 600 && mayScrollOnPhones.some((cls) => table.classList.contains(cls));
      if (!allowed) findings.push({ kind: 'table-scroll', what: `${label(table)} is ${wrapper.scrollWidth}px in a ${wrapper.clientWidth}px box` });
    }
    return findings;
  }, MAY_SCROLL_ON_PHONES);
}

/**
 * Waits until the layout holds still, instead of a fixed pause: every Recharts chart drawn at its box's width
 * (ResponsiveContainer re-measures a frame or two after a load or a resize) and the page's size and its charts'
 * and maps' boxes unchanged for a few frames. Throws when the page never settles.
 */
export async function waitForSteadyLayout(page: Page, timeoutMs = 10_000): Promise<void> {
  const unsettled = await page.evaluate((timeout) => new Promise<string | null>((resolve) => {
    const deadline = performance.now() + timeout;
    const signature = () => {
      const doc = document.documentElement;
      const parts: number[] = [doc.scrollWidth, doc.scrollHeight];
      for (const el of document.querySelectorAll('svg, .recharts-wrapper, .chart, .status-map__placeholder')) {
        const r = el.getBoundingClientRect();
        parts.push(Math.round(r.width), Math.round(r.height));
      }
      return parts.join(',');
    };
    // A chart folded away (zero width) is not drawn at all; one shown must fill its container.
    const misfit = () => [...document.querySelectorAll('.recharts-responsive-container')].find((box) => {
      const width = box.getBoundingClientRect().width;
      const drawn = box.querySelector('.recharts-wrapper')?.getBoundingClientRect().width;
      return width > 0 && (drawn === undefined || Math.abs(drawn - width) > 1);
    });
    let last = '';
    let steady = 0;
    const tick = () => {
      const now = signature();
      steady = now === last ? steady + 1 : 0;
      last = now;
      const notFitting = misfit();
      if (steady >= 3 && !notFitting) return resolve(null);
      if (performance.now() > deadline) return resolve(notFitting ? `a chart is not drawn at its box's width (${notFitting.getBoundingClientRect().width}px)` : 'the layout kept moving');
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }), timeoutMs);
  if (unsettled) throw new Error(`${page.url()} did not settle within ${timeoutMs} ms: ${unsettled}`);
}

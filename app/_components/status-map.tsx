'use client';
// The status map: one link per municipality, coloured by its state (or by the leading list), with the
// state's details on hover, focus and tap. Loaded lazily (status-map-section.tsx); the shapes are a static
// file (public/municipality-map.json, scripts/build-map.ts), fetched once, so neither is in the page's
// first JavaScript.
import { useTranslations } from 'next-intl';
import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type PointerEvent, type FocusEvent } from 'react';
import { MUNICIPALITY_MAP_URL, ZMunicipalityMap, type MunicipalityMap } from '../../lib/contracts/map.ts';
import type { MunicipalityState } from '../../lib/contracts/ops.ts';
import { isBehind } from '../../lib/domain/night-status.ts';
import {
  STATE_STYLES, computeLeaderLegend, computeStateLegend, mapStateOf, orderForFocus, type MapMode, type MapMunicipality, type MapPattern,
} from '../../lib/domain/status-map.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { localizePath } from '../../lib/locale-routing.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { partyColor } from './party-colors.ts';
import { PublicNote } from './public-note.tsx';
import { CountLedger, StateReason } from './state-line.tsx';
import { StatusBadge, useStateLabels } from './status-badge.tsx';

let shapes: Promise<MunicipalityMap> | null = null;
/** Fetched once per page however many maps it shows; a failure may be retried by the next mount. */
function loadShapes(): Promise<MunicipalityMap> {
  shapes ??= fetch(MUNICIPALITY_MAP_URL)
    .then((response) => {
      if (!response.ok) throw new Error(`${MUNICIPALITY_MAP_URL}: ${response.status}`);
      return response.json();
    })
    .then((json) => ZMunicipalityMap.parse(json))
    .catch((error: unknown) => {
      shapes = null;
      throw error;
    });
  return shapes;
}

export interface StatusMapProps {
  municipalities: readonly MapMunicipality[];
  now: Date;
  /** The map's accessible name. */
  label: string;
  /** Offer colouring by the leading list (the public views; the ops board carries no results). */
  leaderMode?: boolean;
  /** The embed opens the site in a new tab. */
  linkTarget?: '_blank';
  /** How to draw a shape with no entry (the ops board leaves out the municipalities that are complete). */
  missingAs?: MunicipalityState;
}

type Active = { number: string; source: 'hover' | 'focus' | 'tap'; x: number; y: number };

const PATTERN_SIZE = 8;
function PatternMarks({ pattern, ink }: { pattern: MapPattern; ink: string }) {
  const s = PATTERN_SIZE;
  switch (pattern) {
    case 'dots': return <circle cx={s / 2} cy={s / 2} r={1.6} fill={ink} />;
    case 'horizontal': return <line x1={0} y1={s / 2} x2={s} y2={s / 2} stroke={ink} strokeWidth={2} />;
    case 'vertical': return <line x1={s / 2} y1={0} x2={s / 2} y2={s} stroke={ink} strokeWidth={2} />;
    case 'diagonal': return <line x1={s / 2} y1={0} x2={s / 2} y2={s} stroke={ink} strokeWidth={2.5} />;
    case 'cross': return <><line x1={s / 2} y1={0} x2={s / 2} y2={s} stroke={ink} strokeWidth={1.5} /><line x1={0} y1={s / 2} x2={s} y2={s / 2} stroke={ink} strokeWidth={1.5} /></>;
  }
}

/** One pattern per problem state, shared by the map and its legend (same document, so url(#…) reaches). */
function PatternDefs({ idFor }: { idFor: (state: MunicipalityState) => string }) {
  return (
    <svg width="0" height="0" aria-hidden="true" focusable="false" className="status-map__defs">
      <defs>
        {/* STATE_STYLES is keyed by state (Object.keys answers string[] for any object). */}
        {(Object.keys(STATE_STYLES) as MunicipalityState[]).map((state) => {
          const { fill, pattern, ink } = STATE_STYLES[state];
          if (!pattern) return null;
          return (
            <pattern key={state} id={idFor(state)} patternUnits="userSpaceOnUse" width={PATTERN_SIZE} height={PATTERN_SIZE}
              patternTransform={pattern === 'diagonal' || pattern === 'cross' ? 'rotate(45)' : undefined}>
              <rect width={PATTERN_SIZE} height={PATTERN_SIZE} fill={fill} />
              <PatternMarks pattern={pattern} ink={ink} />
            </pattern>
          );
        })}
      </defs>
    </svg>
  );
}

/** Memoised: a delta repaints only the municipalities whose colour or label changed. */
const Shape = memo(function Shape({ number, d, fill, state, leader, label, href, target, describedBy }: {
  number: string; d: string; fill: string; state: MunicipalityState; leader: string; label: string; href: string; target?: '_blank'; describedBy?: string;
}) {
  return (
    <a href={href} target={target} rel={target ? 'noopener' : undefined} aria-label={label} aria-describedby={describedBy}
      data-municipality={number} data-state={state} data-leader={leader} className="status-map__shape">
      <path d={d} fill={fill} />
    </a>
  );
});

export default function StatusMap({ municipalities, now, label, leaderMode = false, linkTarget, missingAs }: StatusMapProps) {
  const STATE_LABELS = useStateLabels();
  const t = useTranslations('statusMap');
  const locale = usePageLocale();
  const [map, setMap] = useState<MunicipalityMap | null>(null);
  const [failed, setFailed] = useState(false);
  const [mode, setMode] = useState<MapMode>('state');
  const [active, setActive] = useState<Active | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const lastPointer = useRef<string>('mouse');
  // useId's characters are not all valid in url(#…).
  const uid = `map${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const patternId = useCallback((state: MunicipalityState) => `${uid}-${state}`, [uid]);
  const tipId = `${uid}-tip`;

  useEffect(() => {
    let live = true;
    loadShapes().then((m) => live && setMap(m), () => live && setFailed(true));
    return () => { live = false; };
  }, []);

  const ordered = useMemo(() => orderForFocus(municipalities), [municipalities]);
  const byNumber = useMemo(() => new Map(municipalities.map((m) => [m.number, m])), [municipalities]);
  const missing = useMemo(() => (map ? Object.keys(map.paths).filter((n) => !byNumber.has(n)) : []), [map, byNumber]);
  const shownMode: MapMode = leaderMode ? mode : 'state';

  const fillOf = (state: MunicipalityState) => (STATE_STYLES[state].pattern ? `url(#${patternId(state)})` : STATE_STYLES[state].fill);
  const leaderFill = (m: MapMunicipality) => (m.leadingParty ? partyColor(m.leadingParty.code) : STATE_STYLES.waiting.fill);

  // Where the tooltip points: the pointer for hover, the shape's lower middle for focus and tap.
  const anchorOf = (element: Element): { x: number; y: number } => {
    const box = element.getBoundingClientRect();
    const canvas = canvasRef.current?.getBoundingClientRect();
    return { x: box.left + box.width / 2 - (canvas?.left ?? 0), y: box.bottom - (canvas?.top ?? 0) };
  };
  const shapeOf = (target: EventTarget | null) => (target instanceof Element ? target.closest<SVGAElement>('a[data-municipality]') : null);

  const onFocus = (e: FocusEvent<SVGSVGElement>) => {
    const shape = shapeOf(e.target);
    const number = shape?.dataset.municipality;
    if (shape && number) setActive({ number, source: 'focus', ...anchorOf(shape) });
  };
  const onBlur = (e: FocusEvent<SVGSVGElement>) => {
    if (!canvasRef.current?.contains(e.relatedTarget instanceof Node ? e.relatedTarget : null)) setActive((a) => (a?.source === 'focus' ? null : a));
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => { lastPointer.current = e.pointerType; };
  const onPointerOver = (e: PointerEvent<SVGSVGElement>) => {
    if (e.pointerType !== 'mouse') return;
    const number = shapeOf(e.target)?.dataset.municipality;
    const canvas = canvasRef.current?.getBoundingClientRect();
    if (number) setActive({ number, source: 'hover', x: e.clientX - (canvas?.left ?? 0), y: e.clientY - (canvas?.top ?? 0) + 8 });
  };
  // A first tap shows the details (with a link); a second tap on the same municipality opens it.
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    const shape = shapeOf(e.target);
    const number = shape?.dataset.municipality;
    if (!shape || !number || lastPointer.current !== 'touch') return;
    lastPointer.current = 'mouse';
    if (active?.number === number && active.source === 'tap') return;
    e.preventDefault();
    setActive({ number, source: 'tap', ...anchorOf(shape) });
  };

  const entry = active ? byNumber.get(active.number) ?? null : null;

  // A delta can reorder the shapes (those behind first). Chromium keeps focus on a moved node, but browsers
  // that drop it to <body> without a blur would lose a keyboard user's place: put it back.
  useLayoutEffect(() => {
    if (active?.source !== 'focus' || document.activeElement !== document.body) return;
    canvasRef.current?.querySelector<SVGAElement>(`a[data-municipality="${active.number}"]`)?.focus();
  }, [ordered, active]);

  // Keep the tooltip inside the map's box (no sideways overflow on a phone): below the anchor if it fits, else above.
  useLayoutEffect(() => {
    const tip = tipRef.current;
    const canvas = canvasRef.current;
    if (!tip || !canvas || !active) return;
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const left = Math.max(0, Math.min(active.x - width / 2, canvas.clientWidth - width));
    const below = active.y + 6;
    const top = below + height <= canvas.clientHeight ? below : Math.max(0, active.y - height - 24);
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(top)}px`;
  }, [active, entry, shownMode]);

  const stateLegend = useMemo(() => computeStateLegend(municipalities), [municipalities]);
  const leaderLegend = useMemo(() => (leaderMode ? computeLeaderLegend(municipalities) : []), [leaderMode, municipalities]);
  // Plain links (the map is SVG, next-intl's Link is not), so the language's prefix is added here.
  const href = (number: string) => localizePath(`/kommune/${number}`, locale);

  return (
    <div className="status-map" data-testid="status-map" data-mode={shownMode}>
      <PatternDefs idFor={patternId} />
      {leaderMode ? (
        <fieldset className="status-map__modes">
          <legend>{t('modes')}</legend>
          <label><input type="radio" name={`${uid}-mode`} value="state" checked={mode === 'state'} onChange={() => setMode('state')} /> {t('modeState')}</label>
          <label><input type="radio" name={`${uid}-mode`} value="leader" checked={mode === 'leader'} onChange={() => setMode('leader')} /> {t('modeLeader')}</label>
        </fieldset>
      ) : null}
      <div
        className="status-map__canvas" ref={canvasRef}
        onPointerLeave={() => setActive((a) => (a?.source === 'hover' ? null : a))}
        onKeyDown={(e) => { if (e.key === 'Escape') setActive(null); }}
      >
        {map ? (
          <svg viewBox={map.viewBox.join(' ')} role="group" aria-label={label} className="status-map__svg"
            onFocus={onFocus} onBlur={onBlur} onPointerDown={onPointerDown} onPointerOver={onPointerOver} onClick={onClick}>
            {ordered.map((m) => {
              const d = map.paths[m.number];
              if (!d) return null;
              const state = mapStateOf(m);
              const leader = m.leadingParty?.code ?? '';
              const words = shownMode !== 'leader'
                ? t('shapeState', { name: m.name, state: STATE_LABELS[state] })
                : m.leadingParty
                  ? t('shapeLeader', { name: m.name, party: m.leadingParty.name, share: formatShare(m.leadingParty.share, locale), state: STATE_LABELS[state].toLowerCase() })
                  : t('shapeNoVotes', { name: m.name, state: STATE_LABELS[state].toLowerCase() });
              return (
                <Shape key={m.number} number={m.number} d={d} state={state} leader={leader} label={words}
                  fill={shownMode === 'leader' ? leaderFill(m) : fillOf(state)}
                  href={href(m.number)} target={linkTarget} describedBy={active?.number === m.number && entry ? tipId : undefined} />
              );
            })}
            {missing.map((number) => (
              <path key={number} d={map.paths[number]} fill={missingAs ? fillOf(missingAs) : STATE_STYLES.waiting.fill} aria-hidden="true" />
            ))}
            {active && map.paths[active.number] ? (
              <g className="status-map__highlight" aria-hidden="true">
                <path d={map.paths[active.number]} className="status-map__halo" />
                <path d={map.paths[active.number]} className="status-map__outline" />
              </g>
            ) : null}
          </svg>
        ) : (
          <div className="status-map__loading" role="status">{failed ? t('failed') : t('loading')}</div>
        )}
        {entry ? (
          <div id={tipId} ref={tipRef} role="tooltip" className="status-map__tip" data-testid="status-map-tooltip" data-municipality={entry.number}>
            <p className="status-map__tip-name">{entry.name}</p>
            <p className="status-map__tip-state">
              <StatusBadge summary={entry} />{' '}
              {isBehind(entry.state) ? <StateReason summary={entry} now={now} /> : entry.stateReason ? <span className="state-reason">{entry.stateReason}</span> : null}
            </p>
            <p className="status-map__tip-ledger"><CountLedger m={entry} /></p>
            {entry.leadingParty ? (
              <p className="status-map__tip-leader">{t('tipLeader', { party: entry.leadingParty.name, share: formatShare(entry.leadingParty.share, locale) })}</p>
            ) : null}
            <PublicNote note={entry.publicNote} className="public-note--compact" />
            {active?.source === 'tap' ? (
              <p><a href={href(entry.number)} target={linkTarget} rel={linkTarget ? 'noopener' : undefined}>{t('open', { name: entry.name })}</a></p>
            ) : null}
          </div>
        ) : null}
      </div>
      <ul className="status-map__legend" aria-label={t('legend')} data-testid="status-map-legend">
        {shownMode === 'state'
          ? stateLegend.map(({ key, count }) => (
            <li key={key} data-state={key}>
              <svg width="16" height="16" aria-hidden="true" focusable="false"><rect width="16" height="16" fill={fillOf(key)} stroke="#57606a" strokeWidth="1" /></svg>
              {STATE_LABELS[key]} <span className="status-map__count">{formatInteger(count, locale)}</span>
            </li>
          ))
          : leaderLegend.map(({ code, name, count }) => (
            <li key={code ?? '-'} data-party={code ?? ''}>
              <svg width="16" height="16" aria-hidden="true" focusable="false"><rect width="16" height="16" fill={code ? partyColor(code) : STATE_STYLES.waiting.fill} stroke="#57606a" strokeWidth="1" /></svg>
              {name ?? t('noVotes')} <span className="status-map__count">{formatInteger(count, locale)}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}

// Customary Norwegian party colours, darkened where needed for contrast against white.
const COLORS: Record<string, string> = {
  A: '#c8102e', H: '#0065f1', FRP: '#004f80', SP: '#00843d', SV: '#b5317c', RØDT: '#8b0000', V: '#006666',
  KRF: '#a08000', MDG: '#3b7d23', INP: '#4b4b8f', PP: '#6b4f2a',
};

export function partyColor(code: string): string {
  return COLORS[code] ?? '#6b6b6b';
}

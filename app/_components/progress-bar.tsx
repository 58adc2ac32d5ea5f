/** A bar for a share 0..1; the number beside it carries the meaning, so the bar itself is decorative. */
export function ProgressBar({ share, tone = 'count' }: { share: number; tone?: 'count' | 'district' }) {
  const width = `${Math.max(0, Math.min(1, share)) * 100}%`;
  return (
    <span className={`bar bar--${tone}`} aria-hidden="true">
      <span className="bar__fill" style={{ width }} />
    </span>
  );
}

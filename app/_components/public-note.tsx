/** What the election authorities want the public to know about a municipality's count, set by operators. */
export function PublicNote({ note, className }: { note: string | null; className?: string }) {
  if (!note) return null;
  return (
    <p role="note" className={`public-note${className ? ` ${className}` : ''}`}>
      <span className="public-note__label">Merknad fra valgmyndighetene:</span> {note}
    </p>
  );
}

'use client';
// The console could not be built, most likely because the sidecar does not answer: say so and offer a retry
// (which fetches the board again).
export default function ConsoleError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <section className="panel" role="alert">
      <h1>Driftskonsollen er ikke tilgjengelig</h1>
      <p>Får ikke hentet tavlen fra Valgvakt-serveren akkurat nå. De offentlige sidene viser fortsatt det som er mottatt.</p>
      <button type="button" className="button button--primary" onClick={() => retry()}>Prøv igjen</button>
    </section>
  );
}

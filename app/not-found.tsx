import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="main">
      <h1>Fant ikke siden</h1>
      <p>Sjekk kommunenummeret, eller gå til <Link href="/">oversikten over alle kommuner</Link>.</p>
    </main>
  );
}

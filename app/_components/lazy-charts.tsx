'use client';
// Recharts is the heaviest part of the public bundle: load it after the page (tables render first).
import dynamic from 'next/dynamic';

const placeholder = () => <div className="chart chart--loading" aria-hidden="true" />;
export const LazyPartyChart = dynamic(() => import('./party-chart.tsx'), { ssr: false, loading: placeholder });
export const LazyProgressChart = dynamic(() => import('./progress-chart.tsx'), { ssr: false, loading: placeholder });
export const LazySeatChart = dynamic(() => import('./seat-chart.tsx'), { ssr: false, loading: placeholder });

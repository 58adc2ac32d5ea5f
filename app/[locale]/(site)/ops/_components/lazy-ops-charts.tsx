'use client';
// Recharts loads after the console (figures and tables render first), as on the public pages.
import dynamic from 'next/dynamic';

const placeholder = () => <div className="chart chart--loading" aria-hidden="true" />;
export const LazyQueueChart = dynamic(() => import('./queue-chart.tsx'), { ssr: false, loading: placeholder });
export const LazyTimelineChart = dynamic(() => import('./timeline-chart.tsx'), { ssr: false, loading: placeholder });

'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * Rows per second over the last few polls (the job's average hides a slow-down);
 * falls back to the average until two samples exist.
 */
export function useLiveRate(rowsRead: number | undefined, running: boolean): number | null {
  const samples = useRef<{ at: number; rows: number }[]>([]);
  const [rate, setRate] = useState<number | null>(null);
  useEffect(() => {
    if (rowsRead === undefined) return;
    if (!running) {
      samples.current = [];
      setRate(null);
      return;
    }
    const now = Date.now();
    samples.current = [...samples.current, { at: now, rows: rowsRead }].filter((s) => now - s.at <= 5000);
    const first = samples.current[0];
    const seconds = (now - first.at) / 1000;
    setRate(seconds >= 0.9 ? (rowsRead - first.rows) / seconds : null);
  }, [rowsRead, running]);
  return rate;
}

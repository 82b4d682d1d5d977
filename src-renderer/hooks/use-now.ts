import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` (for age columns; a clock, not a data poll). */
export function useNow(intervalMs = 5000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

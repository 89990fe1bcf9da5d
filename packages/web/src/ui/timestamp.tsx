const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const withSeconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * A time people read at a glance ("14:05"), with the full date and time on hover and for
 * assistive technology in `dateTime`.
 * @example <Timestamp at={step.at} />
 */
export function Timestamp({ at, seconds = false }: { at: string; seconds?: boolean }) {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time className="timestamp" dateTime={at} title={full.format(date)}>
      {(seconds ? withSeconds : timeOfDay).format(date)}
    </time>
  );
}

/**
 * How long something took, in words a person reads ("0.4 s", "2 min 5 s").
 * @example formatDuration(1250) // '1.3 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

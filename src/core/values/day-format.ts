/**
 * The one way a day is written for people, in the popover, Settings, receipts and the
 * CLI: "Tue 2 Dec", with the year when it is not the current one ("Tue 2 Dec 2025").
 * British order (day before month) so "2 Dec" never reads as February; isomorphic, so
 * the renderer and the core say it the same way. A moment adds "14:05" (24-hour).
 */
import type { IsoDate } from '../../shared/domain';

function parts(date: IsoDate): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number];
}

/** `today` decides whether the year is shown (the user's today, or the machine's if not given). */
export function formatDay(date: IsoDate, today?: IsoDate): string {
  const [y, m, d] = parts(date);
  const currentYear = today ? parts(today)[0] : new Date().getFullYear();
  return new Date(Date.UTC(y, m - 1, d))
    .toLocaleDateString('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(y === currentYear ? {} : { year: 'numeric' }),
      timeZone: 'UTC',
    })
    .replace(',', '');
}

/** "14:05": hours and minutes, 24-hour (the machine's zone unless \`timeZone\` is given). */
export function clockTime(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    new Date(ms),
  );
}

/** A moment in the machine's zone: "Tue 2 Dec, 14:05" (the year when not this one). */
export function formatMoment(ms: number, now: number = Date.now(), timeZone?: string): string {
  const iso = (t: number) =>
    new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(
      new Date(t),
    ) as IsoDate;
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(ms));
  return `${formatDay(iso(ms), iso(now))}, ${time}`;
}

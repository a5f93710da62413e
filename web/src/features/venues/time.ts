import {
  clockOf,
  type OpeningHours,
  type OpeningInterval,
  SHANGHAI_OFFSET_MS,
  shanghaiParts,
  WEEKDAYS,
  type Weekday,
} from '../../../../domain/venue.ts';

const DAY_MS = 86_400_000;

/** Venue times are Asia/Shanghai whatever the browser's zone: an ISO instant of a local date and clock. */
export function shanghaiInstant(date: string, clock: string): string {
  return `${date}T${clock}:00+08:00`;
}

/** 'YYYY-MM-DD' of a Shanghai day index. */
export function dateOfDay(dayIndex: number): string {
  return new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
}

/** The Shanghai day index (days since 1970-01-01 local) of today. */
export function todayIndex(): number {
  return shanghaiParts(new Date()).dayIndex;
}

/** Monday of the Shanghai week holding `dayIndex`. */
export function mondayOf(dayIndex: number): number {
  const weekdayNumber = (((dayIndex + 3) % 7) + 7) % 7; // 0 = Monday
  return dayIndex - weekdayNumber;
}

export function weekdayOfDay(dayIndex: number): Weekday {
  return WEEKDAYS[(((dayIndex + 3) % 7) + 7) % 7];
}

/** 'HH:MM' in Shanghai of an instant. */
export function clockShanghai(iso: string): string {
  return clockOf(shanghaiParts(new Date(iso)).minute);
}

/** 'YYYY-MM-DD HH:MM' in Shanghai of an instant. */
export function formatShanghai(iso: string): string {
  const p = shanghaiParts(new Date(iso));
  return `${p.date} ${clockOf(p.minute)}`;
}

/** The Shanghai day index of an instant. */
export function dayIndexOf(iso: string): number {
  return Math.floor((new Date(iso).getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** "08:30-12:00, 13:30-17:30" for a day's intervals. */
export function formatDay(intervals: readonly OpeningInterval[]): string {
  return intervals.map((i) => `${i.from}-${i.to}`).join(', ');
}

/** Parses "08:30-12:00, 13:30-17:30" (also with ～, –, ，); null when malformed. */
export function parseDay(text: string): OpeningInterval[] | null {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const out: OpeningInterval[] = [];
  for (const part of trimmed.split(/[,，;；、]/)) {
    const m = part.trim().match(/^(\d{1,2}):(\d{2})\s*[-–～~至]\s*(\d{1,2}):(\d{2})$/);
    if (!m) return null;
    const from = `${m[1].padStart(2, '0')}:${m[2]}`;
    const to = `${m[3].padStart(2, '0')}:${m[4]}`;
    if (from >= to) return null;
    out.push({ from, to });
  }
  return out;
}

export function formatHours(hours: OpeningHours): Record<Weekday, string> {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, formatDay(hours[d])])) as Record<Weekday, string>;
}

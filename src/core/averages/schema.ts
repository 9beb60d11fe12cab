/**
 * The answer of `GET /api/2/averages/` (exist-api.md → Reading): per attribute the most
 * recent weekly averages (medians of the last 60 days) `{attribute, date, overall,
 * monday … sunday}`. Loose like the other answer schemas; `attribute` may come as the
 * name or as an attribute object with a `name`, and a missing day is null.
 */
import { z } from 'zod';
import type { IsoDate } from '../../shared/domain';

const num = z
  .number()
  .finite()
  .nullish()
  .transform((v) => v ?? null);

export const averageSchema = z.looseObject({
  attribute: z.union([z.string().min(1), z.looseObject({ name: z.string().min(1) })]),
  date: z.string(),
  overall: num,
  monday: num,
  tuesday: num,
  wednesday: num,
  thursday: num,
  friday: num,
  saturday: num,
  sunday: num,
});

export const WEEKDAY_KEYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export interface AttributeAverage {
  attribute: string;
  date: IsoDate;
  overall: number | null;
  /** Index 0 = Sunday … 6 = Saturday. */
  byWeekday: (number | null)[];
}

export function toAverage(a: z.infer<typeof averageSchema>): AttributeAverage {
  return {
    attribute: typeof a.attribute === 'string' ? a.attribute : a.attribute.name,
    date: a.date,
    overall: a.overall,
    byWeekday: WEEKDAY_KEYS.map((k) => a[k]),
  };
}

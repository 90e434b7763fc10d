/**
 * The mapping between a list's filters (search, status, sort, dates…) and the address bar's query
 * parameters, so a filtered list can be linked to, reloaded and restored. Every filter is a string;
 * '' means "not set". A filter at its default is left out of the URL; a value the list does not
 * know (a hand-edited `sort=size`, `updatedFrom=yesterday`) reads as the default.
 */

/** One filter: its query parameter, default, and the values it accepts (any when absent). */
export interface FilterField {
  readonly key: string;
  readonly default: string;
  /** The only values accepted (e.g. the sort keys); others read as the default. */
  readonly allowed?: readonly string[];
  /** `date`: a calendar day `YYYY-MM-DD`; anything else reads as the default. */
  readonly kind?: 'text' | 'date';
  /** The longest text accepted (longer reads as the default). */
  readonly maxLength?: number;
}

export type FilterSpec = readonly FilterField[];

/** Filter values by key. */
export type FilterValues = Readonly<Record<string, string>>;

/** What a router's `queryParams` takes: null removes the parameter. */
export type QueryParamPatch = Record<string, string | null>;

/** Reads query parameters (a `ParamMap` or a plain record). */
export type ParamSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | null | undefined>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function read(params: ParamSource, key: string): string | null {
  if (typeof (params as { get?: unknown }).get === 'function') {
    return (params as { get(name: string): string | null }).get(key);
  }
  const value = (params as Readonly<Record<string, string | readonly string[] | null | undefined>>)[
    key
  ];
  if (Array.isArray(value)) return (value[0] as string | undefined) ?? null;
  return (value as string | null | undefined) ?? null;
}

/** Whether `value` is one the field accepts. */
export function acceptable(field: FilterField, value: string): boolean {
  if (field.allowed && !field.allowed.includes(value)) return false;
  if (field.kind === 'date' && value !== '' && !validDay(value)) return false;
  if (field.maxLength !== undefined && value.length > field.maxLength) return false;
  return true;
}

function validDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The filters the query parameters name; missing or unknown values read as defaults. */
export function filtersFromParams(spec: FilterSpec, params: ParamSource): FilterValues {
  const values: Record<string, string> = {};
  for (const field of spec) {
    const raw = read(params, field.key);
    const value = raw ?? field.default;
    values[field.key] = acceptable(field, value) ? value : field.default;
  }
  return values;
}

/**
 * The query parameters for `values`: each filter at its default (or unknown) is null, so
 * `queryParamsHandling: 'merge'` removes it from the URL; the rest as they are.
 */
export function filtersToParams(spec: FilterSpec, values: FilterValues): QueryParamPatch {
  const params: QueryParamPatch = {};
  for (const field of spec) {
    const value = values[field.key] ?? field.default;
    params[field.key] = value === field.default || !acceptable(field, value) ? null : value;
  }
  return params;
}

/** Only the filters away from their defaults: what a link or the tab-state store keeps. */
export function nonDefaultParams(spec: FilterSpec, values: FilterValues): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(filtersToParams(spec, values))) {
    if (value !== null) kept[key] = value;
  }
  return kept;
}

/** Whether the query parameters name any of the spec's filters. */
export function namesAnyFilter(spec: FilterSpec, params: ParamSource): boolean {
  return spec.some((field) => read(params, field.key) !== null);
}

/**
 * A calendar day (`YYYY-MM-DD`, the user's day) as the API's instant: its start, or with
 * `endOfDay` the start of the next day (the API's "to" bounds are exclusive). '' → undefined.
 */
export function dayToInstant(day: string, endOfDay = false): string | undefined {
  if (!validDay(day)) return undefined;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + (endOfDay ? 1 : 0)).toISOString();
}

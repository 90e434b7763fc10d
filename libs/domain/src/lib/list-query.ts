/** Paging rules shared by every list endpoint. */
export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 200;

/** Sort keys every list accepts; prefix with `-` for descending order. */
export const SORT_FIELDS = ['name', 'createdAt', 'updatedAt'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const SORT_VALUES = SORT_FIELDS.flatMap((field) => [field, `-${field}`]);

export interface SortOrder {
  field: SortField;
  descending: boolean;
}

export function parseSort(value: string): SortOrder {
  const descending = value.startsWith('-');
  const field = (descending ? value.slice(1) : value) as SortField;
  if (!SORT_FIELDS.includes(field)) {
    throw new RangeError(`sort must be one of ${SORT_VALUES.join(', ')}`);
  }
  return { field, descending };
}

/** Names must be readable in a tree and in URLs: no control characters, trimmed, 1–200 chars. */
export const NAME_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 4000;
export const TAG_MAX_LENGTH = 64;
export const TAGS_MAX = 50;
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u;

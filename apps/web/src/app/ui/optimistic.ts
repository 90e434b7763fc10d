import { type WritableSignal } from '@angular/core';

import { type ApiResult } from '../api/api-result';

/**
 * An optimistic update: shows `apply(current)` in `state` at once, then saves; when the API
 * refuses, puts back what was shown before (unless something else changed `state` meanwhile).
 */
export async function optimistic<T, R>(
  state: WritableSignal<T>,
  apply: (current: T) => T,
  save: () => Promise<ApiResult<R>>,
): Promise<ApiResult<R>> {
  const before = state();
  const shown = apply(before);
  state.set(shown);
  const result = await save();
  if (!result.ok && state() === shown) state.set(before);
  return result;
}

import { DestroyRef, effect, inject, signal, type Signal } from '@angular/core';

import { type FlowContent } from '@integrixs/domain';

import { type FlowsApi } from '../../api/flows-api.service';
import { draftProblems, graphBody } from './designer-api';
import { type DesignerProblem } from './designer-state';

/** How long the designer waits after an edit before asking the API to check the draft. */
export const VALIDATION_DEBOUNCE_MS = 400;

/**
 * Real-time feedback (call in an injection context): once `ready`, the draft `content` is
 * checked by the API (`POST …/flows/validation`) VALIDATION_DEBOUNCE_MS after edits stop; an
 * answer to an older draft, or one arriving after the page is gone, is dropped. `problems` is
 * writable: a save's own 400 and a load set it too.
 */
export function draftCheck(
  flows: FlowsApi,
  packageId: () => string,
  content: Signal<FlowContent>,
  ready: Signal<boolean>,
) {
  const problems = signal<readonly DesignerProblem[]>([]);
  const checking = signal(false);
  const failed = signal(false);
  let run = 0;

  const check = async (draft: FlowContent, mine: number): Promise<void> => {
    checking.set(true);
    const result = await flows.validateDraft(packageId(), graphBody(draft));
    if (mine !== run) return;
    checking.set(false);
    if (result.ok) {
      failed.set(false);
      problems.set(result.data.problems);
    } else if (result.failure.status === 400) {
      failed.set(false);
      problems.set(draftProblems(draft, result.failure));
    } else failed.set(true);
  };

  effect((onCleanup) => {
    const draft = content();
    if (!ready()) return;
    const mine = ++run;
    const timer = setTimeout(() => void check(draft, mine), VALIDATION_DEBOUNCE_MS);
    onCleanup(() => clearTimeout(timer));
  });
  inject(DestroyRef).onDestroy(() => run++);
  return { problems, checking: checking.asReadonly(), failed: failed.asReadonly() };
}

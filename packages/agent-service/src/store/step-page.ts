import { Step } from '@agentauth/agent-api';
import type { StepPage, StepPageRequest } from './agent-store.js';

/** A stored step as both stores read it for a page: its id and its JSON text. */
interface StepRow {
  readonly id: number | string;
  readonly body: string;
}

/**
 * Cuts one page out of rows read newest first (at most `limit + 1` of them, the one past the
 * limit only telling that older steps remain): stops at the first step that does not fit the
 * byte budget, so a page never parses more history than it returns. Both stores share it, so
 * the SQLite and PostgreSQL pages are the same for the same history.
 * @example pageOf(rowsNewestFirst, { limit: 50, maxBytes: 1 << 20, atLeastOne: true })
 */
export function pageOf(rows: Iterable<StepRow>, page: StepPageRequest): StepPage {
  const taken: { id: number; step: Step }[] = [];
  let bytes = 0;
  let more = false;
  let first: number | undefined;
  for (const row of rows) {
    const id = Number(row.id);
    first ??= id;
    const size = Buffer.byteLength(row.body);
    const fits = bytes + size <= page.maxBytes || (page.atLeastOne && taken.length === 0);
    if (taken.length >= page.limit || !fits) {
      more = true;
      break;
    }
    bytes += size;
    const step = Step.safeParse(JSON.parse(row.body));
    if (step.success) taken.push({ id, step: step.data });
  }
  taken.reverse();
  const oldest = taken[0];
  // Nothing fitted: the cursor points just past the newest step, so the next page starts there.
  const older = more ? String(oldest ? oldest.id : (first as number) + 1) : undefined;
  return { steps: taken.map((t) => t.step), ...(older ? { older } : {}) };
}

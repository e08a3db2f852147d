import type { EffortRating } from '../../db/schema.ts';
import type { RowInput } from './model.ts';

/* Effort (R6): a rating and an optional comment, visible to the participant. */

export interface Effort {
  effort: EffortRating | null;
  comment: string | null;
}

export function enteredEffort(row: Pick<RowInput, 'effort' | 'effortComment'>): Effort {
  return { effort: row.effort, comment: row.effortComment.trim() || null };
}

/** How history stores an effort: `rating`, `rating: comment` or `: comment`. */
export function effortText(effort: EffortRating | null, comment: string | null): string | null {
  if (!effort && !comment) return null;
  return comment ? `${effort ?? ''}: ${comment}` : effort;
}

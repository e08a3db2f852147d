import { creditPoints, roundPoints, type Credit } from '../study-points.ts';
import type { PlanAttendance, PlanMeeting } from './model.ts';

/*
 * Study points (R5): attendance credits the meeting's points within the course maximum, counting
 * what the participant holds from other runs and from this run's other meetings.
 */

export interface RowCredits {
  /** Credit per changed meeting, in meeting order. */
  credits: Map<string, Credit>;
  /** The participant's points in this run after the save. */
  runTotal: number;
}

export function creditRow(options: {
  meetings: readonly PlanMeeting[];
  changed: readonly PlanMeeting[];
  present: boolean;
  stored: (meetingId: string) => PlanAttendance | undefined;
  elsewhere: number;
  maximum: number;
  ignoreMaximum: boolean;
}): RowCredits {
  const changed = new Set(options.changed.map((m) => m.id));
  let kept = 0;
  for (const m of options.meetings) if (!changed.has(m.id)) kept += options.stored(m.id)?.study_points ?? 0;
  kept = roundPoints(kept);
  const list = creditPoints(
    roundPoints(options.elsewhere + kept),
    options.maximum,
    options.changed.map((m) => ({ meetingPoints: m.study_points, present: options.present })),
    options.ignoreMaximum,
  );
  const credits = new Map(options.changed.map((m, i) => [m.id, list[i]!]));
  const runTotal = roundPoints(kept + list.reduce((sum, c) => sum + c.points, 0));
  return { credits, runTotal };
}

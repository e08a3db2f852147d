import type { StatusCode } from '../db/schema.ts';
import { INACTIVE_STATUSES } from './study-status.ts';

/*
 * Places in a run (SPEC §7, issue 9 item 4): a run with a capacity holds at most that many
 * enrolments that take part; anyone beyond waits on the run's waiting list, in order of arrival, and
 * the first in line moves up when a place frees. A run without a capacity has room for everyone.
 */

/** Whether an enrolment in this status takes a place in its run (a withdrawn or cancelled one frees it). */
export function holdsPlace(status: StatusCode): boolean {
  return !INACTIVE_STATUSES.has(status);
}

/** The places of one run as loaded (and locked) by the service. */
export interface RunPlaces {
  /** Null: no limit. */
  capacity: number | null;
  /** Enrolments in the run that hold a place. */
  taken: number;
  /** User ids on the waiting list, first in line first. */
  waiting: readonly string[];
}

/** Free places in a run (Infinity without a capacity; never negative, even if a capacity was lowered). */
export function freePlaces(places: Pick<RunPlaces, 'capacity' | 'taken'>): number {
  if (places.capacity === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, places.capacity - places.taken);
}

/** What happens to each person asked to be placed in a run. */
export type Placement = 'enrolled' | 'waiting' | 'already_enrolled' | 'already_waiting';

export interface PlacementPlan {
  /** People on the waiting list who move up into a free place, first in line first. */
  promote: string[];
  /** Each requested person, in the order asked, and what happens to them. */
  placements: { userId: string; placement: Placement }[];
  /** The waiting list after the plan, first in line first. */
  waitingAfter: string[];
}

/**
 * Places people in a run (pure): first the waiting list moves up into any free place (those already
 * waiting come before anyone new), then each requested person, in the order given, is enrolled while
 * places remain and otherwise joins the end of the waiting list. Someone already taking part, or
 * already waiting, stays as they are; a person asked twice counts once.
 */
export function planPlacement(places: RunPlaces, requested: readonly string[], takingPart: ReadonlySet<string>): PlacementPlan {
  let free = freePlaces(places);
  const promote = places.waiting.slice(0, Math.min(places.waiting.length, free));
  free -= promote.length;
  const waitingAfter = places.waiting.slice(promote.length);
  const promoted = new Set(promote);
  const waitingSet = new Set(waitingAfter);
  const seen = new Set<string>();
  const placements: PlacementPlan['placements'] = [];
  for (const userId of requested) {
    if (seen.has(userId)) continue;
    seen.add(userId);
    if (takingPart.has(userId) || promoted.has(userId)) placements.push({ userId, placement: 'already_enrolled' });
    else if (waitingSet.has(userId)) placements.push({ userId, placement: 'already_waiting' });
    else if (free > 0) {
      free -= 1;
      placements.push({ userId, placement: 'enrolled' });
    } else {
      waitingAfter.push(userId);
      waitingSet.add(userId);
      placements.push({ userId, placement: 'waiting' });
    }
  }
  return { promote, placements, waitingAfter };
}

/**
 * Places one more person could take now, after everyone already waiting has been served (Infinity
 * without a capacity): what a participant choosing a run is offered.
 */
export function openPlaces(capacity: number | null, taken: number, waiting: number): number {
  return Math.max(0, freePlaces({ capacity, taken }) - waiting);
}

/** Whether one more person can take a place now, after everyone already waiting (the check a run choice makes). */
export function hasFreePlace(places: RunPlaces): boolean {
  return openPlaces(places.capacity, places.taken, places.waiting.length) > 0;
}

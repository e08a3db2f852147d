import { describe, expect, it } from 'vitest';
import { freePlaces, hasFreePlace, holdsPlace, planPlacement } from './capacity.ts';

describe('places in a run', () => {
  it('counts free places, never below zero, and without a capacity always room', () => {
    expect(freePlaces({ capacity: 3, taken: 1 })).toBe(2);
    expect(freePlaces({ capacity: 3, taken: 5 })).toBe(0);
    expect(freePlaces({ capacity: null, taken: 5000 })).toBe(Number.POSITIVE_INFINITY);
    expect(hasFreePlace({ capacity: 3, taken: 2, waiting: [] })).toBe(true);
    expect(hasFreePlace({ capacity: 3, taken: 2, waiting: ['w1'] })).toBe(false);
    expect(hasFreePlace({ capacity: null, taken: 2, waiting: ['w1'] })).toBe(true);
  });

  it('frees the place of a withdrawn or cancelled enrolment, not of a finished one', () => {
    expect(holdsPlace('enrolled')).toBe(true);
    expect(holdsPlace('completed')).toBe(true);
    expect(holdsPlace('absent')).toBe(true);
    expect(holdsPlace('withdrawn_valid')).toBe(false);
    expect(holdsPlace('withdrawn_invalid')).toBe(false);
    expect(holdsPlace('cancelled')).toBe(false);
  });

  it('enrols while places remain, then puts the rest on the waiting list in the order asked', () => {
    const plan = planPlacement({ capacity: 3, taken: 1, waiting: [] }, ['a', 'b', 'c', 'd'], new Set());
    expect(plan.placements).toEqual([
      { userId: 'a', placement: 'enrolled' },
      { userId: 'b', placement: 'enrolled' },
      { userId: 'c', placement: 'waiting' },
      { userId: 'd', placement: 'waiting' },
    ]);
    expect(plan.waitingAfter).toEqual(['c', 'd']);
    expect(plan.promote).toEqual([]);
  });

  it('moves the waiting list up first, in its order, before anyone new', () => {
    const plan = planPlacement({ capacity: 3, taken: 1, waiting: ['w1', 'w2', 'w3'] }, ['n1'], new Set());
    expect(plan.promote).toEqual(['w1', 'w2']);
    expect(plan.placements).toEqual([{ userId: 'n1', placement: 'waiting' }]);
    expect(plan.waitingAfter).toEqual(['w3', 'n1']);
  });

  it('leaves alone whoever already takes part or waits, and counts a person asked twice once', () => {
    const plan = planPlacement({ capacity: 2, taken: 2, waiting: ['w1'] }, ['in', 'w1', 'x', 'x'], new Set(['in']));
    expect(plan.placements).toEqual([
      { userId: 'in', placement: 'already_enrolled' },
      { userId: 'w1', placement: 'already_waiting' },
      { userId: 'x', placement: 'waiting' },
    ]);
    expect(plan.waitingAfter).toEqual(['w1', 'x']);
  });

  it('enrols everyone in a run without a capacity', () => {
    const plan = planPlacement({ capacity: null, taken: 900, waiting: [] }, ['a', 'b'], new Set());
    expect(plan.placements.map((p) => p.placement)).toEqual(['enrolled', 'enrolled']);
  });
});

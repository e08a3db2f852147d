/**
 * R5: attendance at a meeting credits that meeting's study points, never beyond the course maximum
 * per participant unless the save overrides the maximum. Points are kept to two decimals.
 */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}

export interface CreditRequest {
  meetingPoints: number;
  present: boolean;
}

export interface Credit {
  points: number;
  /** True where the override lifted the cap: the participant got more than the maximum allowed. */
  overridden: boolean;
}

/**
 * Points to credit for a sequence of meetings (in meeting order), given what the participant already
 * holds for the course outside them. A meeting not attended credits nothing.
 */
export function creditPoints(
  alreadyCredited: number,
  maximum: number,
  requests: readonly CreditRequest[],
  ignoreMaximum: boolean,
): Credit[] {
  let total = alreadyCredited;
  return requests.map(({ meetingPoints, present }) => {
    if (!present) return { points: 0, overridden: false };
    const capped = roundPoints(Math.max(0, Math.min(meetingPoints, maximum - total)));
    const points = ignoreMaximum ? roundPoints(meetingPoints) : capped;
    total = roundPoints(total + points);
    return { points, overridden: points > capped };
  });
}

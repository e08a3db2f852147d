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

/**
 * Points to credit for a sequence of meetings (in meeting order), given what the participant already
 * holds for the course outside them. A meeting not attended credits nothing.
 */
export function creditPoints(
  alreadyCredited: number,
  maximum: number,
  requests: readonly CreditRequest[],
  ignoreMaximum: boolean,
): number[] {
  let total = alreadyCredited;
  return requests.map(({ meetingPoints, present }) => {
    if (!present) return 0;
    const room = ignoreMaximum ? meetingPoints : Math.max(0, Math.min(meetingPoints, maximum - total));
    const credit = roundPoints(room);
    total = roundPoints(total + credit);
    return credit;
  });
}

import type { StatusCode } from '../../db/schema.ts';
import { roundPoints } from '../study-points.ts';

/*
 * Certificates (R3): becoming Voltooid issues one, leaving it revokes it. The certificate states
 * the points credited in this run, never more than the course maximum (R5).
 */

export function certificateChange(from: StatusCode, to: StatusCode): 'issue' | 'revoke' | null {
  if (from === to) return null;
  if (to === 'completed') return 'issue';
  if (from === 'completed') return 'revoke';
  return null;
}

export function certificatePoints(runTotal: number, courseMaximum: number): number {
  return roundPoints(Math.min(runTotal, courseMaximum));
}

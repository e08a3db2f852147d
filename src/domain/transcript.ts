import { brusselsDate } from './dates.ts';
import { roundPoints } from './study-points.ts';

export interface CreditedPoints {
  course_id: string;
  course_code: string;
  course_title: string;
  max_study_points: number;
  /** The meeting's start (ISO instant): its Brussels calendar year is the year the points count for. */
  starts_at: string;
  study_points: number;
  /** Set where a save lifted the course maximum for this record (R5). */
  points_override_by: string | null;
}

export interface TranscriptCourse {
  courseId: string;
  courseCode: string;
  courseTitle: string;
  maxStudyPoints: number;
  points: number;
  /** Points credited with the maximum lifted: shown apart, since they go beyond the cap. */
  overriddenPoints: number;
}

export interface TranscriptYear {
  year: number;
  courses: TranscriptCourse[];
  total: number;
}

/**
 * A study-points transcript: per calendar year (newest first) and per course (by title), the points
 * credited, of which those credited past the course maximum by an override, and each year's total.
 * Nothing is capped here: the cap was applied when the points were credited (R5), and an override is
 * a decision to respect, so it is shown rather than undone.
 */
export function buildTranscript(rows: readonly CreditedPoints[]): { years: TranscriptYear[]; total: number } {
  const years = new Map<number, Map<string, TranscriptCourse>>();
  for (const r of rows) {
    const year = Number(brusselsDate(r.starts_at).slice(0, 4));
    const courses = years.get(year) ?? new Map<string, TranscriptCourse>();
    years.set(year, courses);
    const line = courses.get(r.course_id) ?? {
      courseId: r.course_id,
      courseCode: r.course_code,
      courseTitle: r.course_title,
      maxStudyPoints: Number(r.max_study_points),
      points: 0,
      overriddenPoints: 0,
    };
    courses.set(r.course_id, line);
    line.points = roundPoints(line.points + Number(r.study_points));
    if (r.points_override_by !== null) line.overriddenPoints = roundPoints(line.overriddenPoints + Number(r.study_points));
  }
  const result = [...years]
    .sort(([a], [b]) => b - a)
    .map(([year, courses]) => {
      const lines = [...courses.values()].sort((a, b) => a.courseTitle.localeCompare(b.courseTitle) || a.courseCode.localeCompare(b.courseCode));
      return { year, courses: lines, total: roundPoints(lines.reduce((sum, l) => sum + l.points, 0)) };
    });
  return { years: result, total: roundPoints(result.reduce((sum, y) => sum + y.total, 0)) };
}

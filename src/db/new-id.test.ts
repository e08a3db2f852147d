import { describe, expect, it } from 'vitest';
import { newId } from './index.ts';

describe('newId', () => {
  it('makes ULIDs that sort by creation, with a fresh random part in every millisecond (300 of them: more than one pool of random bytes)', () => {
    const ids: string[] = [];
    const firstOfMillisecond = new Map<string, string>();
    while (firstOfMillisecond.size < 300) {
      const id = newId();
      ids.push(id);
      if (!firstOfMillisecond.has(id.slice(0, 10))) firstOfMillisecond.set(id.slice(0, 10), id.slice(10));
    }
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    // 80 random bits per millisecond: no two milliseconds start from the same random part.
    const randomParts = [...firstOfMillisecond.values()];
    expect(new Set(randomParts).size).toBe(randomParts.length);
    expect(new Set(randomParts.join('')).size).toBeGreaterThan(16);
  });
});

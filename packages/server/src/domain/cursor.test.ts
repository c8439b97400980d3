import { describe, expect, it } from 'vitest';
import { pageOf } from './cursor.js';

describe('pageOf', () => {
  const cursorAfter = (last: number) => `after ${last}`;

  it('drops the extra row and points the cursor after the last one kept', () => {
    expect(pageOf([1, 2, 3, 4], 3, cursorAfter)).toEqual({ items: [1, 2, 3], nextCursor: 'after 3' });
  });

  it('has no cursor when no extra row came back', () => {
    expect(pageOf([1, 2, 3], 3, cursorAfter)).toEqual({ items: [1, 2, 3], nextCursor: null });
    expect(pageOf([], 3, cursorAfter)).toEqual({ items: [], nextCursor: null });
  });

  it('maps the kept rows, and the cursor still comes from the row', () => {
    expect(pageOf([1, 2, 3], 2, cursorAfter, (n) => `item ${n}`)).toEqual({
      items: ['item 1', 'item 2'],
      nextCursor: 'after 2',
    });
  });
});

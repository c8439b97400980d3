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

  it('builds the cursor from the last row kept, whatever the rows are', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(pageOf(rows, 2, (last) => `after ${last.id}`)).toEqual({
      items: [{ id: 'a' }, { id: 'b' }],
      nextCursor: 'after b',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { displayName } from './display-name.js';

const people = (...names: string[]) => names.map((name) => ({ id: name.toLowerCase(), name }));

describe('displayName', () => {
  it('names a direct room after the other participant', () => {
    expect(displayName({ type: 'direct', name: null }, people('Alice', 'Bob'), 'alice')).toBe('Bob');
    expect(displayName({ type: 'direct', name: null }, people('Alice', 'Bob'), 'bob')).toBe('Alice');
  });

  it('uses a group’s custom name when it has one', () => {
    expect(displayName({ type: 'group', name: 'Ops' }, people('Alice', 'Bob'), 'alice')).toBe('Ops');
  });

  it('auto-names an unnamed group from the other members, in join order', () => {
    const group = { type: 'group' as const, name: null };
    expect(displayName(group, people('Alice', 'Bob'), 'alice')).toBe('Bob');
    expect(displayName(group, people('Alice', 'Bob', 'Carol'), 'alice')).toBe('Bob and Carol');
    expect(displayName(group, people('Alice', 'Bob', 'Carol', 'Dave'), 'alice')).toBe('Bob, Carol and Dave');
    expect(displayName(group, people('Alice', 'Bob', 'Carol', 'Dave', 'Erin'), 'alice')).toBe(
      'Bob, Carol and 2 others',
    );
    expect(displayName(group, people('Alice', 'Bob', 'Carol', 'Dave', 'Erin'), 'carol')).toBe(
      'Alice, Bob and 2 others',
    );
  });

  it('falls back to the id for a nameless user, and says so when the viewer is alone', () => {
    expect(
      displayName(
        { type: 'group', name: null },
        [
          { id: 'u1', name: '' },
          { id: 'me', name: 'Me' },
        ],
        'me',
      ),
    ).toBe('u1');
    expect(displayName({ type: 'group', name: null }, people('Alice'), 'alice')).toBe('Just you');
  });
});

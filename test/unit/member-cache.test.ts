import { describe, expect, test } from 'vitest';
import type { TMember } from '../../src/domain/workspaces/ensure-member.js';
import { MemberCache } from '../../src/domain/workspaces/member-cache.js';

const member = (workspaceId: number, repId: number): TMember => ({ workspace: { id: workspaceId } as TMember['workspace'], rep: { id: repId } as TMember['rep'], created: true });

describe('MemberCache', () => {
  test('returns what was stored until it expires', () => {
    let now = 1_000;
    const cache = new MemberCache(100, 10, () => now);
    cache.set('T1', 'U1', member(1, 7));
    expect(cache.get('T1', 'U1')?.rep.id).toBe(7);
    expect(cache.get('T1', 'U1')?.created).toBe(false);
    expect(cache.get('T2', 'U1')).toBeUndefined();
    now += 100;
    expect(cache.get('T1', 'U1')).toBeUndefined();
  });

  test('invalidating a workspace forgets only its members', () => {
    const cache = new MemberCache();
    cache.set('T1', 'U1', member(1, 1));
    cache.set('T1', 'U2', member(1, 2));
    cache.set('T2', 'U1', member(2, 3));
    cache.invalidateWorkspace(1);
    expect(cache.get('T1', 'U1')).toBeUndefined();
    expect(cache.get('T1', 'U2')).toBeUndefined();
    expect(cache.get('T2', 'U1')?.rep.id).toBe(3);
  });

  test('stays within its size bound, dropping the oldest', () => {
    const cache = new MemberCache(10_000, 2);
    cache.set('T', 'U1', member(1, 1));
    cache.set('T', 'U2', member(1, 2));
    cache.set('T', 'U3', member(1, 3));
    expect(cache.get('T', 'U1')).toBeUndefined();
    expect(cache.get('T', 'U3')?.rep.id).toBe(3);
  });

  test('a zero TTL disables caching', () => {
    const cache = new MemberCache(0);
    cache.set('T', 'U1', member(1, 1));
    expect(cache.get('T', 'U1')).toBeUndefined();
  });
});

import type { TMember } from './ensure-member.js';

/**
 * A short-lived, per-instance cache of who is behind a Slack request (workspace row and rep row).
 * Looking them up is the one database read every request needs; caching it is what lets a
 * single process log 200 deals a second. Changes made through this instance (roles, teams,
 * settings) invalidate the workspace at once; another instance sees them within `ttlMs`.
 */
export class MemberCache {
  private readonly entries = new Map<string, { member: TMember; expires: number }>();

  constructor(
    private readonly ttlMs = 15_000,
    private readonly maxEntries = 10_000,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  get(teamId: string, userId: string): TMember | undefined {
    const key = `${teamId}:${userId}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.member;
  }

  set(teamId: string, userId: string, member: TMember): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(`${teamId}:${userId}`, { member: { ...member, created: false }, expires: this.clock() + this.ttlMs });
  }

  /** Forgets every member of a workspace (after its settings, roles or teams changed). */
  invalidateWorkspace(workspaceId: number): void {
    for (const [key, entry] of this.entries) if (entry.member.workspace.id === workspaceId) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

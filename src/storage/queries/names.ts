import type { Db } from '../db.js';

/** A rep's name if the rep belongs to the workspace, else null. */
export async function repNameById(db: Db, workspaceId: number, repId: number): Promise<string | null> {
  const rep = await db.prisma.rep.findFirst({ where: { id: repId, workspaceId }, select: { name: true } });
  return rep?.name ?? null;
}

/** A team's name if the team belongs to the workspace, else null. */
export async function teamNameById(db: Db, workspaceId: number, teamId: number): Promise<string | null> {
  const team = await db.prisma.salesTeam.findFirst({ where: { id: teamId, workspaceId }, select: { name: true } });
  return team?.name ?? null;
}

import { AppError } from '../../errors.js';
import type { Deal, Rep } from '../../storage/models.js';
import { isManagerOrAdmin } from '../workspaces/ensure-member.js';

/** Reps edit their own deals; managers and admins any deal in their workspace. */
export function canEditDeal(actor: Pick<Rep, 'id' | 'role' | 'workspaceId'>, deal: Pick<Deal, 'ownerId' | 'workspaceId'>): boolean {
  if (actor.workspaceId !== deal.workspaceId) return false;
  return deal.ownerId === actor.id || isManagerOrAdmin(actor);
}

export function assertCanEditDeal(actor: Pick<Rep, 'id' | 'role' | 'workspaceId'>, deal: Pick<Deal, 'ownerId' | 'workspaceId' | 'customer'>): void {
  if (!canEditDeal(actor, deal)) {
    throw new AppError('FORBIDDEN', `The ${deal.customer} deal belongs to someone else. Only its owner, a manager or an admin can change it.`, { i18n: { key: 'error.deal.someoneElses', values: { customer: deal.customer } } });
  }
}

/** Logging a deal for someone else is a manager's or admin's job. */
export function assertCanLogFor(actor: Pick<Rep, 'id' | 'role'>, ownerId: number): void {
  if (ownerId !== actor.id && !isManagerOrAdmin(actor)) {
    throw new AppError('FORBIDDEN', 'Only managers and admins can log deals for someone else. Leave the owner as yourself.', { field: 'owner', i18n: { key: 'error.deal.ownerOthers' } });
  }
}

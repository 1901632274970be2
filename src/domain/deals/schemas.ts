import { z } from 'zod';

export const ZDealType = z.enum(['new', 'upsell', 'renewal']);
export type TDealType = z.infer<typeof ZDealType>;
export const ZDealStatus = z.enum(['open', 'won', 'lost']);
export type TDealStatus = z.infer<typeof ZDealStatus>;

/** A complete, already parsed deal as the domain accepts it (from the modal or a quick form). */
export const ZDealInput = z
  .object({
    customer: z.string().trim().min(1, 'Customer is required.').max(200, 'Customer names are at most 200 characters.'),
    amountMinor: z.bigint().nonnegative('Amounts cannot be negative.'),
    currency: z.string().regex(/^[A-Z]{3}$/),
    type: ZDealType,
    status: ZDealStatus,
    stage: z.string().min(1),
    closedAt: z.date().nullable(),
    recurringMonthlyMinor: z.bigint().positive('The monthly recurring amount must be above zero.').nullable(),
    discountMinor: z.bigint().nonnegative('Discounts cannot be negative.').nullable(),
    lostReason: z.string().trim().max(500).nullable(),
    notes: z.string().trim().max(3000).nullable(),
  })
  .superRefine((d, ctx) => {
    if (d.status === 'won' && d.amountMinor <= 0n) ctx.addIssue({ code: 'custom', path: ['amountMinor'], message: 'A won deal needs an amount above zero.' });
  });
export type TDealInput = z.infer<typeof ZDealInput>;

-- AlterTable
ALTER TABLE "CrmConnection" ADD COLUMN     "progressChannel" TEXT,
ADD COLUMN     "progressDeals" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "progressStartedAt" TIMESTAMPTZ(3),
ADD COLUMN     "progressTs" TEXT;

-- AlterTable
ALTER TABLE "CrmConnection" ADD COLUMN "appUrl" TEXT;

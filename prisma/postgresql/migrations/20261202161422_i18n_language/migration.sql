-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "language" TEXT NOT NULL DEFAULT 'en';

-- AlterTable
ALTER TABLE "Rep" ADD COLUMN     "language" TEXT,
ADD COLUMN     "slackLocale" TEXT;

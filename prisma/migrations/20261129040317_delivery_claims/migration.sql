-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "claim_token" TEXT,
ADD COLUMN     "claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "send_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "subject" TEXT;

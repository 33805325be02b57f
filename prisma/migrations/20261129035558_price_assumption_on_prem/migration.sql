-- AlterTable
ALTER TABLE "price_assumptions" ADD COLUMN     "on_prem" JSONB NOT NULL DEFAULT '{}';

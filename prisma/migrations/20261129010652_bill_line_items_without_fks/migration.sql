-- bill_line_items loses its foreign keys: Postgres checks a foreign key row by row, and on a bulk load
-- those checks cost as much as the load itself (measured: 2.9 s of 5.9 s for 200k rows). The ingestion
-- pipeline sets org_id and ingestion_run_id from the run it executes, and the triggers below keep the
-- cascades the foreign keys gave (schema.prisma cannot express triggers, and they cause no drift).
-- Note: Prisma's JS schema engine splits a migration at every semicolon, even inside comments and
-- dollar-quoted bodies, so the function bodies are E'' strings whose semicolons are written \x3B.

-- DropForeignKey
ALTER TABLE "bill_line_items" DROP CONSTRAINT "bill_line_items_ingestion_run_id_fkey";

-- DropForeignKey
ALTER TABLE "bill_line_items" DROP CONSTRAINT "bill_line_items_org_id_fkey";

-- Deleting an org deletes its bill lines (what ON DELETE CASCADE did).
CREATE FUNCTION bill_line_items_delete_for_org() RETURNS trigger LANGUAGE plpgsql AS
E'BEGIN DELETE FROM bill_line_items WHERE org_id = OLD.id\x3B RETURN OLD\x3B END';

CREATE TRIGGER orgs_delete_bill_line_items AFTER DELETE ON orgs
  FOR EACH ROW EXECUTE FUNCTION bill_line_items_delete_for_org();

-- Deleting an ingestion run deletes its bill lines. When the run goes because its org is being
-- deleted, the org's trigger removes all of the org's lines at once instead.
CREATE FUNCTION bill_line_items_delete_for_run() RETURNS trigger LANGUAGE plpgsql AS
E'BEGIN IF EXISTS (SELECT 1 FROM orgs WHERE id = OLD.org_id) THEN DELETE FROM bill_line_items WHERE org_id = OLD.org_id AND ingestion_run_id = OLD.id\x3B END IF\x3B RETURN OLD\x3B END';

CREATE TRIGGER ingestion_runs_delete_bill_line_items AFTER DELETE ON ingestion_runs
  FOR EACH ROW EXECUTE FUNCTION bill_line_items_delete_for_run();

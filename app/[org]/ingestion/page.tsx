import type { Metadata } from "next";
import Link from "next/link";
import { RunHistory } from "@/components/ingestion/run-history";

export const metadata: Metadata = { title: "Bill ingestion" };

export default async function IngestionPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between", gap: "1rem", flexWrap: "wrap" }}>
        <h1>Bill ingestion</h1>
        <Link className="btn btn-primary" href={`/${org}/ingestion/upload`}>
          Upload a bill
        </Link>
      </div>
      <RunHistory />
    </>
  );
}

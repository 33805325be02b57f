import type { Metadata } from "next";
import Link from "next/link";
import { BillUpload } from "@/components/ingestion/bill-upload";

export const metadata: Metadata = { title: "Upload a bill" };

export default async function UploadBillPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <p>
        <Link href={`/${org}/ingestion`}>← Bill ingestion</Link>
      </p>
      <h1>Upload a bill</h1>
      <BillUpload />
    </>
  );
}

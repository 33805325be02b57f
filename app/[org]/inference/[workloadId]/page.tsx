import type { Metadata } from "next";
import { Suspense } from "react";
import { WorkloadDetailPage } from "@/components/workloads/workload-detail-page";

export const metadata: Metadata = { title: "Inference services" };

export default async function Page({ params }: { params: Promise<{ workloadId: string }> }) {
  const { workloadId } = await params;
  return (
    <Suspense>
      <WorkloadDetailPage workloadId={workloadId} section="inference" />
    </Suspense>
  );
}

import type { Metadata } from "next";
import { Suspense } from "react";
import { GpuDetailPage } from "@/components/fleet/gpu-detail-page";

export const metadata: Metadata = { title: "GPU detail" };

export default async function Page({ params }: { params: Promise<{ gpuId: string }> }) {
  const { gpuId } = await params;
  return (
    <Suspense>
      <GpuDetailPage gpuId={gpuId} />
    </Suspense>
  );
}

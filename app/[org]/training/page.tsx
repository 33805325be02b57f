import type { Metadata } from "next";
import { Suspense } from "react";
import { TrainingRunsPage } from "@/components/workloads/training-runs-page";

export const metadata: Metadata = { title: "Training runs" };

export default function Page() {
  return (
    <>
      <h1>Training runs</h1>
      <Suspense>
        <TrainingRunsPage />
      </Suspense>
    </>
  );
}

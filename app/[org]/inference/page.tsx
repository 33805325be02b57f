import type { Metadata } from "next";
import { Suspense } from "react";
import { InferencePage } from "@/components/workloads/inference-page";

export const metadata: Metadata = { title: "Inference services" };

export default function Page() {
  return (
    <>
      <h1>Inference services</h1>
      <Suspense>
        <InferencePage />
      </Suspense>
    </>
  );
}

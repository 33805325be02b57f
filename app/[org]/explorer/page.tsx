import type { Metadata } from "next";
import { Suspense } from "react";
import { ExplorerPage } from "@/components/explorer/explorer-page";

export const metadata: Metadata = { title: "Cost explorer" };

export default function Page() {
  return (
    <>
      <h1>Cost explorer</h1>
      <Suspense>
        <ExplorerPage />
      </Suspense>
    </>
  );
}

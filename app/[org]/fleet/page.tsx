import type { Metadata } from "next";
import { Suspense } from "react";
import { FleetPage } from "@/components/fleet/fleet-page";

export const metadata: Metadata = { title: "GPU fleet" };

export default function Page() {
  return (
    <>
      <h1>GPU fleet</h1>
      <Suspense>
        <FleetPage />
      </Suspense>
    </>
  );
}

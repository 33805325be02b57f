import type { Metadata } from "next";
import { Suspense } from "react";
import { OverviewCards } from "@/components/overview/overview-cards";
import { PeriodOverview } from "@/components/overview/period-overview";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <OverviewCards />
      <Suspense>
        <PeriodOverview />
      </Suspense>
    </>
  );
}

import type { Metadata } from "next";
import { OverviewCards } from "@/components/overview/overview-cards";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <OverviewCards />
    </>
  );
}

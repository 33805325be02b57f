import type { Metadata } from "next";
import Link from "next/link";
import { ScenarioCompare } from "@/components/recommendations/scenario-compare";

export const metadata: Metadata = { title: "Scenario vs current plan" };

export default async function ScenarioComparePage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/${org}/recommendations`}>Recommendations</Link> / <Link href={`/${org}/recommendations/scenarios`}>Saved scenarios</Link> / Compare
      </p>
      <ScenarioCompare scenarioId={id} />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { ScenariosList } from "@/components/recommendations/scenarios-list";
import { deleteScenario } from "../actions";

export const metadata: Metadata = { title: "Saved scenarios" };

export default async function ScenariosPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/${org}/recommendations`}>Recommendations</Link> / Saved scenarios
      </p>
      <h1>Saved scenarios</h1>
      <ScenariosList deleteScenario={deleteScenario} />
    </>
  );
}

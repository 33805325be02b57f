import type { Metadata } from "next";
import { RecommendationsView } from "@/components/recommendations/recommendations-view";
import { acceptRecommendation, dismissRecommendation, saveRecommendationInputs, saveScenario } from "./actions";

export const metadata: Metadata = { title: "Recommendations" };

// `?scenario=<id>` opens a saved scenario: the what-if restored with its inputs (a shareable URL).
export default async function RecommendationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const scenarioId = typeof sp.scenario === "string" && sp.scenario ? sp.scenario : null;
  return (
    <>
      <h1>Recommendations</h1>
      <RecommendationsView key={scenarioId ?? "current"} scenarioId={scenarioId} actions={{ acceptRecommendation, dismissRecommendation, saveRecommendationInputs, saveScenario }} />
    </>
  );
}

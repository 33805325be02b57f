import type { Metadata } from "next";
import { RecommendationsView } from "@/components/recommendations/recommendations-view";
import { acceptRecommendation, dismissRecommendation, saveRecommendationInputs, saveScenario } from "./actions";

export const metadata: Metadata = { title: "Recommendations" };

export default function RecommendationsPage() {
  return (
    <>
      <h1>Recommendations</h1>
      <RecommendationsView actions={{ acceptRecommendation, dismissRecommendation, saveRecommendationInputs, saveScenario }} />
    </>
  );
}

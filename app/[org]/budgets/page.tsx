import type { Metadata } from "next";
import { Suspense } from "react";
import { BudgetsView } from "@/components/alerting/budgets-view";
import * as actions from "./actions";

export const metadata: Metadata = { title: "Budgets" };

export default function BudgetsPage() {
  return (
    <Suspense fallback={<p aria-busy="true">Loading budgets…</p>}>
      <BudgetsView actions={{ createBudget: actions.createBudget, deleteBudget: actions.deleteBudget, updateBudget: actions.updateBudget }} />
    </Suspense>
  );
}

import type { Metadata } from "next";
import { AlertHistory } from "@/components/alerting/alert-history";
import { evaluateAlertsNow } from "./actions";

export const metadata: Metadata = { title: "Alerts" };

export default function AlertsPage() {
  return <AlertHistory actions={{ evaluateAlertsNow }} />;
}

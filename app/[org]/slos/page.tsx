import type { Metadata } from "next";
import { SlosView } from "@/components/alerting/slos-view";
import { createSlo, deleteSlo, setSloEnabled } from "./actions";

export const metadata: Metadata = { title: "SLOs" };

export default function SlosPage() {
  return <SlosView actions={{ createSlo, setSloEnabled, deleteSlo }} />;
}

import type { Metadata } from "next";
import Link from "next/link";
import { MembersPanel } from "@/components/settings/members-panel";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { ConnectorsPanel } from "@/components/settings/connectors-panel";
import { BillConnectorsPanel } from "@/components/settings/bill-connectors-panel";
import { UnmappedPanel } from "@/components/settings/unmapped-panel";
import { SlackChannelsPanel } from "@/components/settings/slack-channels-panel";
import { DigestPanel } from "@/components/settings/digest-panel";
import { OrgSettingsPanel } from "@/components/settings/org-settings-panel";
import { AuditLogPanel } from "@/components/settings/audit-log-panel";
import { can } from "@/lib/domain/roles";
import { requireOrgMember } from "@/lib/auth/page-guard";
import { db } from "@/lib/db/client";
import { loadOrgSettings } from "@/lib/orgs/settings";
import * as alertActions from "../alerts/actions";
import * as actions from "./actions";

export const metadata: Metadata = { title: "Settings" };

const TABS = [
  { id: "members", label: "Members" },
  { id: "api-keys", label: "API keys" },
  { id: "connectors", label: "Connectors" },
  { id: "unmapped", label: "Unmapped GPU time" },
  { id: "slack", label: "Slack alerts" },
  { id: "digest", label: "Weekly digest" },
  { id: "organization", label: "Organization" },
  { id: "audit", label: "Audit log" },
] as const;

type TabId = (typeof TABS)[number]["id"];

export default async function SettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ org }, sp] = await Promise.all([params, searchParams]);
  // The audit log is for admins only (its API refuses others too).
  const admin = can((await requireOrgMember(org, `/${org}/settings`)).ctx.role, "org:manage");
  const tabs = TABS.filter((t) => t.id !== "audit" || admin);
  const tab: TabId = tabs.find((t) => t.id === sp.tab)?.id ?? "members";
  return (
    <>
      <h1>Settings</h1>
      <nav className="tabs" aria-label="Settings sections">
        {tabs.map((t) => (
          <Link key={t.id} href={`/${org}/settings?tab=${t.id}`} aria-current={tab === t.id ? "page" : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === "members" ? (
        <MembersPanel
          actions={{
            inviteMember: actions.inviteMember,
            revokeMemberInvitation: actions.revokeMemberInvitation,
            changeRole: actions.changeRole,
            removeOrgMember: actions.removeOrgMember,
            leaveOrganization: actions.leaveOrganization,
          }}
        />
      ) : tab === "api-keys" ? (
        <ApiKeysPanel actions={{ createOrgApiKey: actions.createOrgApiKey, revokeOrgApiKey: actions.revokeOrgApiKey }} />
      ) : tab === "connectors" ? (
        <>
          <ConnectorsPanel
            actions={{
              createTelemetryConnector: actions.createTelemetryConnector,
              updateTelemetryConnector: actions.updateTelemetryConnector,
              setTelemetryConnectorEnabled: actions.setTelemetryConnectorEnabled,
              deleteTelemetryConnector: actions.deleteTelemetryConnector,
              testTelemetryConnection: actions.testTelemetryConnection,
              runTelemetryConnectorNow: actions.runTelemetryConnectorNow,
            }}
          />
          <BillConnectorsPanel
            actions={{
              createBillConnector: actions.createBillConnector,
              updateBillConnector: actions.updateBillConnector,
              setBillConnectorEnabled: actions.setBillConnectorEnabled,
              deleteBillConnector: actions.deleteBillConnector,
              testBillConnection: actions.testBillConnection,
              runBillConnectorNow: actions.runBillConnectorNow,
            }}
          />
        </>
      ) : tab === "slack" ? (
        <SlackChannelsPanel
          actions={{
            createSlackChannel: alertActions.createSlackChannel,
            updateSlackChannel: alertActions.updateSlackChannel,
            deleteSlackChannel: alertActions.deleteSlackChannel,
            sendSlackTestMessage: alertActions.sendSlackTestMessage,
          }}
        />
      ) : tab === "organization" ? (
        <OrgSettingsPanel
          settings={await loadOrgSettings(db(), (await requireOrgMember(org, `/${org}/settings?tab=organization`)).ctx.orgId)}
          actions={{ updateOrgSettings: actions.updateOrgSettings }}
        />
      ) : tab === "audit" ? (
        <AuditLogPanel />
      ) : tab === "digest" ? (
        <DigestPanel actions={{ saveDigestPreferences: alertActions.saveDigestPreferences }} />
      ) : (
        <UnmappedPanel />
      )}
    </>
  );
}

// Registry of every wrapped server action. The tenancy test enumerates it: every org action is called
// with another org's slug and ids and must fail with 403/404 without touching that org.
// Add each new action here (the test also checks that every action exported from lib/actions/*.ts is listed).
import * as alerting from "./alerting";
import * as apiKeys from "./api-keys";
import * as billConnectors from "./bill-connectors";
import * as connectors from "./connectors";
import * as members from "./members";
import * as orgs from "./orgs";
import * as orgSettings from "./org-settings";
import * as recommendations from "./recommendations";

export const orgActions = {
  inviteMember: members.inviteMember,
  revokeMemberInvitation: members.revokeMemberInvitation,
  changeRole: members.changeRole,
  removeOrgMember: members.removeOrgMember,
  leaveOrganization: members.leaveOrganization,
  createOrgApiKey: apiKeys.createOrgApiKey,
  revokeOrgApiKey: apiKeys.revokeOrgApiKey,
  createTelemetryConnector: connectors.createTelemetryConnectorAction,
  updateTelemetryConnector: connectors.updateTelemetryConnectorAction,
  setTelemetryConnectorEnabled: connectors.setTelemetryConnectorEnabled,
  deleteTelemetryConnector: connectors.deleteTelemetryConnector,
  testTelemetryConnection: connectors.testTelemetryConnection,
  runTelemetryConnectorNow: connectors.runTelemetryConnectorNow,
  createBillConnector: billConnectors.createBillConnectorAction,
  updateBillConnector: billConnectors.updateBillConnectorAction,
  setBillConnectorEnabled: billConnectors.setBillConnectorEnabled,
  deleteBillConnector: billConnectors.deleteBillConnectorAction,
  testBillConnection: billConnectors.testBillConnection,
  runBillConnectorNow: billConnectors.runBillConnectorNow,
  createBudget: alerting.createBudget,
  deleteBudget: alerting.deleteBudget,
  createSlackChannel: alerting.createSlackChannelAction,
  updateSlackChannel: alerting.updateSlackChannelAction,
  deleteSlackChannel: alerting.deleteSlackChannel,
  sendSlackTestMessage: alerting.sendSlackTestMessage,
  createSlo: alerting.createSlo,
  setSloEnabled: alerting.setSloEnabled,
  deleteSlo: alerting.deleteSlo,
  saveDigestPreferences: alerting.saveDigestPreferences,
  evaluateAlertsNow: alerting.evaluateAlertsNow,
  acceptRecommendation: recommendations.acceptRecommendation,
  dismissRecommendation: recommendations.dismissRecommendation,
  saveRecommendationInputs: recommendations.saveRecommendationInputs,
  saveScenario: recommendations.saveScenario,
  deleteScenario: recommendations.deleteScenario,
  updateOrgSettings: orgSettings.updateOrgSettings,
  updateBudget: alerting.updateBudget,
} as const;

export const userActions = {
  createOrganization: orgs.createOrganization,
  acceptInvite: orgs.acceptInvite,
} as const;

export type OrgActionName = keyof typeof orgActions;

"use server";

// Thin server actions for the settings page: the wrapped definitions live in lib/actions (tenancy,
// permission and validation happen there); these only expose them and refresh the page's data.
import { revalidatePath } from "next/cache";
import { orgActions } from "@/lib/actions";
import type { ActionResult } from "@/lib/domain/action-result";

async function run<R>(orgSlug: string, result: Promise<ActionResult<R>>): Promise<ActionResult<R>> {
  const res = await result;
  if (res.ok) revalidatePath(`/${orgSlug}/settings`);
  return res;
}

export async function inviteMember(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.inviteMember(orgSlug, input));
}
export async function revokeMemberInvitation(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.revokeMemberInvitation(orgSlug, input));
}
export async function changeRole(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.changeRole(orgSlug, input));
}
export async function removeOrgMember(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.removeOrgMember(orgSlug, input));
}
export async function leaveOrganization(orgSlug: string, input: unknown) {
  const res = await orgActions.leaveOrganization(orgSlug, input);
  if (res.ok) revalidatePath("/", "layout");
  return res;
}
export async function createOrgApiKey(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.createOrgApiKey(orgSlug, input));
}
export async function revokeOrgApiKey(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.revokeOrgApiKey(orgSlug, input));
}
export async function createTelemetryConnector(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.createTelemetryConnector(orgSlug, input));
}
export async function updateTelemetryConnector(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.updateTelemetryConnector(orgSlug, input));
}
export async function setTelemetryConnectorEnabled(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.setTelemetryConnectorEnabled(orgSlug, input));
}
export async function deleteTelemetryConnector(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.deleteTelemetryConnector(orgSlug, input));
}
export async function testTelemetryConnection(orgSlug: string, input: unknown) {
  return orgActions.testTelemetryConnection(orgSlug, input);
}
export async function runTelemetryConnectorNow(orgSlug: string, input: unknown) {
  return orgActions.runTelemetryConnectorNow(orgSlug, input);
}
export async function createBillConnector(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.createBillConnector(orgSlug, input));
}
export async function updateBillConnector(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.updateBillConnector(orgSlug, input));
}
export async function setBillConnectorEnabled(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.setBillConnectorEnabled(orgSlug, input));
}
export async function deleteBillConnector(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.deleteBillConnector(orgSlug, input));
}
export async function testBillConnection(orgSlug: string, input: unknown) {
  return orgActions.testBillConnection(orgSlug, input);
}
export async function runBillConnectorNow(orgSlug: string, input: unknown) {
  return orgActions.runBillConnectorNow(orgSlug, input);
}
export async function updateOrgSettings(orgSlug: string, input: unknown) {
  const res = await orgActions.updateOrgSettings(orgSlug, input);
  // the org's name and currency show in the shell
  if (res.ok) revalidatePath(`/${orgSlug}`, "layout");
  return res;
}

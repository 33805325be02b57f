// The SMTP transport from env (SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_REQUIRE_TLS, SMTP_USER,
// SMTP_PASSWORD, SMTP_FROM). Null when SMTP_HOST is not set: digests are then not sent.
import nodemailer from "nodemailer";
import { env } from "../env";
import type { DigestMailer } from "./send";

export function mailerFromEnv(): DigestMailer | null {
  const e = env();
  if (!e.SMTP_HOST) return null;
  const transport = nodemailer.createTransport({
    host: e.SMTP_HOST,
    port: e.SMTP_PORT,
    secure: e.SMTP_SECURE,
    requireTLS: e.SMTP_REQUIRE_TLS,
    auth: e.SMTP_USER ? { user: e.SMTP_USER, pass: e.SMTP_PASSWORD ?? "" } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return { transport, from: e.SMTP_FROM };
}

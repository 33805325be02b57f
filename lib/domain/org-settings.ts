// Client-safe shape and validation of an org's settings (Settings → Organization).
import { z } from "zod";

export type OrgSettingsView = {
  name: string;
  slug: string;
  currency: string;
  /** True once any bill line exists: the reporting currency is then fixed. */
  currencyLocked: boolean;
  /** Percent, 0-100 (stored as a fraction 0-1). */
  idleThresholdPercent: number;
  teamTagKey: string;
  runLabelKeys: string[];
};

const labelKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s,]+$/, { message: "a label key without spaces or commas" });

export const orgSettingsInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, { message: "a 3-letter ISO 4217 code" })
    .transform((c) => c.toUpperCase()),
  /** Percent, at most 2 decimals (the column keeps 4 decimals of the fraction). */
  idleThresholdPercent: z.coerce
    .number()
    .min(0)
    .max(100)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, { message: "at most 2 decimals" }),
  teamTagKey: labelKey,
  runLabelKeys: z
    .array(labelKey)
    .min(1)
    .max(20)
    .refine((keys) => new Set(keys).size === keys.length, { message: "each label key once" }),
});
export type OrgSettingsInput = z.infer<typeof orgSettingsInputSchema>;

/** The stored fraction (Decimal(5,4) string) as a percent with at most 2 decimals. */
export function fractionToPercent(fraction: string | number): number {
  return Math.round(Number(fraction) * 10_000) / 100;
}

#!/usr/bin/env node
// `npx burnrate <command>`: runs the TypeScript CLI through tsx's loader (no separate build step).
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
process.env.TSX_TSCONFIG_PATH ??= path.join(here, "..", "tsconfig.json");
await import("tsx");
await import(path.join(here, "..", "lib", "cli", "main.ts"));

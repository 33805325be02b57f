import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Prisma's generated client and pg stay on the server, loaded from node_modules at runtime.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bullmq", "ioredis", "bcryptjs"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;

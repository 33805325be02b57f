"use client";

import { useCallback } from "react";
import { useRouter } from "next/navigation";

/** Client navigation after a mutation that changed the session or memberships: push, then refetch server components. */
export function useNavigate() {
  const router = useRouter();
  return useCallback(
    (url: string) => {
      router.push(url);
      router.refresh();
    },
    [router],
  );
}

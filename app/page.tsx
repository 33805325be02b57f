import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { homePathFor } from "@/lib/auth/page-guard";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await currentUser();
  redirect(user ? await homePathFor(user.id) : "/signin");
}

"use server";

import { signUpAction } from "@/lib/actions/public";

export async function signUp(input: unknown) {
  return signUpAction(input);
}

import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Burnrate", template: "%s · Burnrate" },
  description: "What your GPUs cost and where the money is wasted",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

import Link from "next/link";

export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="auth-card" role="region" aria-labelledby="nf-title">
        <span className="brand">Burnrate</span>
        <h1 id="nf-title">Page not found</h1>
        <p className="muted">This page does not exist, or you do not have access to it.</p>
        <Link className="btn" href="/">
          Go to your organization
        </Link>
      </div>
    </main>
  );
}

// Replaces the URL's query string through the router. router.replace updates the location only when
// its transition commits, so a second quick change (sort, then group) would read the stale query and
// undo the first: the query last asked for is remembered for a moment and read by currentSearch().
type Router = { replace: (href: string, options?: { scroll?: boolean }) => void };

let pending: { path: string; qs: string; at: number } | null = null;

export function currentSearch(): URLSearchParams {
  if (pending && pending.path === window.location.pathname && Date.now() - pending.at < 2000) return new URLSearchParams(pending.qs);
  return new URLSearchParams(window.location.search);
}

export function replaceSearch(router: Router, params: URLSearchParams) {
  const qs = params.toString();
  const path = window.location.pathname;
  pending = { path, qs, at: Date.now() };
  router.replace(qs ? `${path}?${qs}` : path, { scroll: false });
}

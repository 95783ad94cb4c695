/**
 * Why a URL's port cannot be, or undefined: WHATWG's URL parser refuses a port above 65535 as an
 * "Invalid URL" without saying which part, and takes 0, which no server listens on.
 *
 * @example
 * portProblem("redis://127.0.0.1:99999"); // "the port 99999 is out of range (1–65535)"
 */
export function portProblem(value: string): string | undefined {
  // scheme://[userinfo@]host:port, the host a name, an IPv4 address or a bracketed IPv6 literal.
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]/?#]*\]|[^:/?#[\]]*):(\d+)(?:[/?#]|$)/i.exec(value)?.[1];
  if (port === undefined) return undefined;
  const number = Number(port);
  return number >= 1 && number <= 65_535 ? undefined : `the port ${port} is out of range (1–65535)`;
}

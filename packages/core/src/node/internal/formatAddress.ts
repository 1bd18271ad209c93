/** `ip:port`, or `[v6]:port` for IPv6, as `Connection` and `Listener` addresses are written. */
export function formatAddress(ip: string | undefined, port: number | undefined): string {
  const host = ip ?? "0.0.0.0";
  return host.includes(":") ? `[${host}]:${port ?? 0}` : `${host}:${port ?? 0}`;
}

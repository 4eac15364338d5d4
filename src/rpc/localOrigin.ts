// Only this machine's own clients may talk to the server. Binding to 127.0.0.1 keeps other
// machines out; the Host check keeps out a web page whose DNS name was rebound to 127.0.0.1
// (its requests carry its own name in Host); the Origin check keeps out any web page that sends
// one (browsers always do on a cross-origin POST), so a page cannot spend the pool's keys.

/** Why a request is refused, or undefined when its Host and Origin are this server's own. */
export function foreignOriginReason(host: string | undefined, origin: string | undefined, port: number): string | undefined {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!host || !allowedHosts.includes(host.toLowerCase())) {
    return `Host must be 127.0.0.1:${port} or localhost:${port}.`;
  }
  if (origin !== undefined && !allowedHosts.some((allowed) => origin.toLowerCase() === `http://${allowed}`)) {
    return 'Requests from web pages are refused (the Origin is not this server).';
  }
  return undefined;
}

// Safety: a load test hits loopback only unless the scenario names the host in `allowHosts`,
// and the target must answer before anything is recorded.
import * as dns from 'dns';
import * as net from 'net';

export class TargetError extends Error {
  constructor(message: string, readonly code: 'not-allowed' | 'down') {
    super(message);
    this.name = 'TargetError';
  }
}

/** 127.0.0.0/8, ::1 (also as an IPv4-mapped address) and localhost. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.split('.')[0] === '127';
}

export function checkTargetAllowed(target: URL, allowHosts: readonly string[]): void {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isLoopback(host) || allowHosts.includes(host)) return;
  throw new TargetError(
    `target ${target.origin} is not a loopback address; load tests only hit 127.0.0.0/8, ::1 or localhost unless the scenario lists the host in "allowHosts"`,
    'not-allowed',
  );
}

/**
 * A `lookup` for the load connections: a host name (localhost, *.localhost, or one a hosts file
 * maps) must resolve to loopback addresses only, at every connect, so neither DNS nor a rebinding
 * answer can point a loopback-only test at another machine. Hosts in allowHosts resolve freely.
 */
export function loopbackLookup(allowHosts: readonly string[]): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find(a => !isLoopback(a.address));
      if (bad && !allowHosts.includes(hostname.toLowerCase())) {
        const e = new TargetError(`target host ${hostname} resolves to ${bad.address}, not a loopback address; list the host in "allowHosts" to load-test it`, 'not-allowed');
        return callback(Object.assign(e, { code: 'ENOTLOOPBACK' }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** Before the run: the target's name resolves to loopback only (see loopbackLookup). */
export async function checkTargetResolves(target: URL, allowHosts: readonly string[]): Promise<void> {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (net.isIP(host) || allowHosts.includes(host)) return;
  await new Promise<void>((resolve, reject) =>
    loopbackLookup(allowHosts)(host, { all: true }, err => {
      if (err instanceof TargetError) reject(err);
      else resolve(); // a name that does not resolve: the probe says "down"
    }));
}

/** One TCP connect to the target; a clear TargetError when it refuses or does not answer. */
export function probeTarget(target: URL, timeoutMs = 2000, allowHosts: readonly string[] = []): Promise<void> {
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port, lookup: loopbackLookup(allowHosts) });
    const done = (err?: Error) => {
      sock.destroy();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new TargetError(`target ${target.origin} is down: no answer to a TCP connect within ${timeoutMs} ms`, 'down')), timeoutMs);
    sock.once('connect', () => done());
    sock.once('error', (e: NodeJS.ErrnoException) =>
      done(new TargetError(`target ${target.origin} is down: connect ${e.code ?? e.message} (is the service running?)`, 'down')));
  });
}

// Safety: a load test hits loopback only unless the scenario names the host in `allowHosts`,
// and the target must answer before anything is recorded.
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

/** One TCP connect to the target; a clear TargetError when it refuses or does not answer. */
export function probeTarget(target: URL, timeoutMs = 2000): Promise<void> {
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
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

/**
 * Outbound safety: which hosts an adapter may connect to. The check runs after DNS resolution
 * and the adapter then connects to the checked address (not the name again), so a name that
 * resolves to a forbidden address — or re-resolves to one — cannot slip through.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface TargetPolicy {
  /** Host names (`api.example.com`, `*.example.com`), IPs or CIDRs. When non-empty, only these. */
  allow?: string[];
  /** Host names, IPs or CIDRs that are always refused (wins over `allow`). */
  deny?: string[];
  /** Loopback (127.0.0.0/8, ::1). Allowed by default; production turns it off. */
  allowLoopback?: boolean;
  /** Cloud metadata endpoints. Denied by default; only an explicit `true` allows them. */
  allowCloudMetadata?: boolean;
}

export const CLOUD_METADATA_HOSTS = ['metadata.google.internal', 'metadata.goog'];
export const CLOUD_METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'];

export const DEFAULT_TARGET_POLICY: TargetPolicy = { allowLoopback: true };

export class TargetDeniedError extends Error {}

export interface ResolvedTarget {
  host: string;
  address: string;
  family: 4 | 6;
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** `::ffff:169.254.169.254` is 169.254.169.254: check IPv4-mapped addresses as IPv4. */
function normalize(address: string): { address: string; family: 4 | 6 } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

interface CompiledRules {
  names: string[];
  blocks: BlockList;
}

function compile(entries: string[] = []): CompiledRules {
  const blocks = new BlockList();
  const names: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const [ip, prefix] = entry.split('/');
    const family = isIP(ip);
    if (family && prefix !== undefined)
      blocks.addSubnet(ip, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
    else if (family) blocks.addAddress(ip, family === 6 ? 'ipv6' : 'ipv4');
    else names.push(entry.replace(/\.$/, ''));
  }
  return { names, blocks };
}

function nameMatches(host: string, names: string[]): boolean {
  return names.some((n) => (n.startsWith('*.') ? host.endsWith(n.slice(1)) : host === n));
}

function addressMatches(address: string, family: 4 | 6, blocks: BlockList): boolean {
  return blocks.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

const LOOPBACK = compile(['127.0.0.0/8', '::1/128']).blocks;
const METADATA = compile(CLOUD_METADATA_ADDRESSES).blocks;

/**
 * Resolves `host` and checks every address it resolves to against the policy; throws
 * TargetDeniedError naming the address and the rule, or returns the first address to connect to.
 */
export async function resolveTarget(
  host: string,
  policy: TargetPolicy = DEFAULT_TARGET_POLICY,
  lookup: Lookup = systemLookup,
): Promise<ResolvedTarget> {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');
  const allow = compile(policy.allow);
  const deny = compile(policy.deny);
  if (nameMatches(name, deny.names)) throw new TargetDeniedError(`${host} is on the deny list`);
  if (!policy.allowCloudMetadata && CLOUD_METADATA_HOSTS.includes(name))
    throw new TargetDeniedError(`${host} is a cloud metadata endpoint and is not allowed`);

  const found = isIP(name) ? [{ address: name, family: isIP(name) }] : await lookup(name);
  if (found.length === 0) throw new TargetDeniedError(`host ${host} could not be resolved`);
  const addresses = found.map((f) => normalize(f.address));
  const allowByName = nameMatches(name, allow.names);
  for (const { address, family } of addresses) {
    const label = address === name ? address : `${host} (${address})`;
    if (addressMatches(address, family, deny.blocks))
      throw new TargetDeniedError(`${label} is on the deny list`);
    if (!policy.allowCloudMetadata && addressMatches(address, family, METADATA))
      throw new TargetDeniedError(`${label} is a cloud metadata address and is not allowed`);
    if (policy.allowLoopback === false && addressMatches(address, family, LOOPBACK))
      throw new TargetDeniedError(`${label} is a loopback address and is not allowed`);
    const hasAllowList = allow.names.length > 0 || (policy.allow ?? []).length > 0;
    if (hasAllowList && !allowByName && !addressMatches(address, family, allow.blocks))
      throw new TargetDeniedError(`${label} is not on the allow list`);
  }
  return { host, ...addresses[0] };
}

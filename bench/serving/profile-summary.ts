/**
 * Reads a V8 CPU profile (`Profiler.stop`'s result, the `.cpuprofile` format)
 * into the two tables a look at a server's hot path starts from: functions by
 * their own time, and packages (or project folders) by the time spent in them
 * or below them. Shares are of the profiled time, idle included, so the idle
 * share tells how busy the process was.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  readonly name: string;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly selfTime: ProfileShare[];
  readonly byPackage: ProfileShare[];
}

const nodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/;

/** The package a frame belongs to, `node:<module>`, a project folder, `(native)`, or undefined (V8's own). */
function packageOf(url: string, projectRoot: string): string | undefined {
  if (url === '') return undefined;
  const dependency = nodeModules.exec(url)?.[1];
  if (dependency) return dependency;
  if (url.startsWith('node:')) return `node:${url.slice('node:'.length).split('/')[0]}`;
  const at = url.indexOf(projectRoot);
  if (at >= 0)
    return url
      .slice(at + projectRoot.length)
      .split('/')
      .slice(0, 2)
      .join('/');

  return '(native)';
}

function frameName(frame: CallFrame, projectRoot: string): string {
  const at = frame.url.indexOf(projectRoot);
  const where =
    at >= 0 ? frame.url.slice(at + projectRoot.length) : frame.url.replace(/.*node_modules\//, '');

  return `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
}

function top(totals: Map<string, number>, totalUs: number, count: number): ProfileShare[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, share: us / Math.max(1, totalUs) }));
}

/**
 * Summarises a profile: the `count` functions with the most self time and
 * the `count` packages with the most inclusive time (a sample counts once
 * per package on its stack).
 *
 * @example
 * const summary = summarizeProfile(profile, { projectRoot: process.cwd() + '/' });
 */
export function summarizeProfile(
  profile: CpuProfile,
  options: { projectRoot: string; count?: number },
): ProfileSummary {
  const count = options.count ?? 20;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of timeOf) {
    totalUs += us;
    const node = byId.get(id);
    if (!node) continue;
    const name = frameName(node.callFrame, options.projectRoot);
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      const pkg = packageOf(frame.url, options.projectRoot);
      if (pkg === undefined || seen.has(pkg)) continue;
      seen.add(pkg);
      inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + us);
    }
  }

  return {
    totalMs: totalUs / 1000,
    selfTime: top(self, totalUs, count),
    byPackage: top(inclusive, totalUs, count),
  };
}

/** The summary as text: two columns of shares and names. */
export function formatProfileSummary(summary: ProfileSummary): string {
  const rows = (shares: ProfileShare[]) =>
    shares.map((s) => `  ${(100 * s.share).toFixed(1).padStart(5)}%  ${s.name}`).join('\n');

  return [
    `profiled ${(summary.totalMs / 1000).toFixed(1)} s; self time:`,
    rows(summary.selfTime),
    'inclusive, by package or folder:',
    rows(summary.byPackage),
  ].join('\n');
}

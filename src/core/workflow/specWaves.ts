// Division of labour's schedule: the batch's specs in waves, the specs of a wave run side by side
// (each in its own copy), a wave starts when the one before it is merged. Two specs overlap when
// they may touch one file, and overlap is read to err towards waiting: a later spec never runs
// before (or beside) an earlier one it overlaps. A file a spec writes without naming it is caught
// later, by the merge (mergeCopies.ts), not here.
import { normaliseRelativePath } from '../coder/confinement.js';

/** One spec of the batch as the planner sees it: the paths its Files to Modify names. */
export interface WaveSpec {
  paths: readonly string[];
}

export interface WaveOptions {
  /**
   * Where each named path really lands once symbolic links are followed (coder/confinement.ts's
   * `locate`), keyed by the path as the spec names it: two names for one file then overlap.
   */
  landsAt?: ReadonlyMap<string, string>;
  /** At most this many specs in one wave (the run's copies at once). */
  maxParallel?: number;
}

export interface SpecWave {
  /** 0-based indexes into the batch, in its order. */
  specs: number[];
}

export interface SpecPlacement {
  /** 0-based wave. */
  wave: number;
  /** The earlier spec it waits for, and why; absent when it waits for none (or only for room). */
  after?: { spec: number; why: string };
}

export interface WavePlan {
  waves: SpecWave[];
  /** One per spec, in the batch's order. */
  specs: SpecPlacement[];
}

/**
 * A path as the file systems we may run on compare it: forward slashes, no "." segments, the
 * folder before any wildcard, each segment without Windows' ignored trailing dots and spaces,
 * composed (macOS decomposes accents) and lower case (macOS and Windows ignore case). '' is the
 * whole workspace. Undefined: the path cannot be placed in the workspace (absolute, "..").
 */
export function pathKey(raw: string): string | undefined {
  const normalised = normaliseRelativePath(raw);
  if (!normalised.ok) return undefined;
  const segments = normalised.relativePath === '.' ? [] : normalised.relativePath.split('/');
  const wild = segments.findIndex((segment) => /[*?[\]{}]/.test(segment));
  const claimed = wild < 0 ? segments : segments.slice(0, wild);
  return claimed.map((segment) => segment.normalize('NFC').replace(/[. ]+$/, '').toLowerCase()).join('/');
}

interface Claim {
  /** undefined: cannot be placed, so it overlaps everything. */
  key: string | undefined;
  /** The path as the spec names it. */
  name: string;
  /** The link's landing place, when this claim is where a named path lands. */
  landing?: string;
}

function claimsOf(spec: WaveSpec, landsAt: ReadonlyMap<string, string> | undefined): Claim[] {
  return spec.paths.flatMap((name) => {
    const own: Claim = { key: pathKey(name), name };
    const landing = landsAt?.get(name);
    const key = landing === undefined ? undefined : pathKey(landing);
    return landing !== undefined && key !== own.key ? [own, { key, name, landing }] : [own];
  });
}

const code = (path: string): string => `\`${path}\``;

/** Why two claims may touch one file, or undefined when they cannot. */
function clash(later: Claim, earlier: Claim): string | undefined {
  for (const claim of [later, earlier]) {
    if (claim.key === undefined) return `${code(claim.name)} cannot be placed in the workspace, so it runs alone`;
    if (claim.key === '') return `${code(claim.name)} is the whole workspace`;
  }
  const a = later.key ?? '';
  const b = earlier.key ?? '';
  const linked = later.landing !== undefined || earlier.landing !== undefined ? ' (through a link)' : '';
  if (a === b) return later.name === earlier.name && linked === '' ? `both name ${code(later.name)}` : `${code(later.name)} and ${code(earlier.name)} are the same file${linked}`;
  if (a.startsWith(`${b}/`)) return `${code(later.name)} is inside ${code(earlier.name)}${linked}`;
  if (b.startsWith(`${a}/`)) return `${code(earlier.name)} is inside ${code(later.name)}${linked}`;
  return undefined;
}

function overlap(later: readonly Claim[], earlier: readonly Claim[]): string | undefined {
  if (later.length === 0) return 'it names no file, so it runs alone';
  if (earlier.length === 0) return 'the earlier spec names no file, so it runs alone';
  for (const mine of later) {
    for (const theirs of earlier) {
      const why = clash(mine, theirs);
      if (why !== undefined) return why;
    }
  }
  return undefined;
}

/** Each spec in the first wave after every earlier spec it overlaps, with room left in it. */
export function planWaves(specs: readonly WaveSpec[], options: WaveOptions = {}): WavePlan {
  const maxParallel = options.maxParallel ?? Number.POSITIVE_INFINITY;
  if (!(maxParallel >= 1) || (Number.isFinite(maxParallel) && !Number.isInteger(maxParallel))) {
    throw new RangeError(`maxParallel must be a positive integer, got ${maxParallel}`);
  }
  const claims = specs.map((spec) => claimsOf(spec, options.landsAt));
  const placements: SpecPlacement[] = [];
  const waves: SpecWave[] = [];
  claims.forEach((mine, index) => {
    let after: SpecPlacement['after'];
    let earliest = 0;
    placements.forEach((placed, earlier) => {
      const why = overlap(mine, claims[earlier] ?? []);
      if (why === undefined || placed.wave + 1 < earliest) return;
      if (placed.wave + 1 > earliest || after === undefined) after = { spec: earlier, why };
      earliest = placed.wave + 1;
    });
    let wave = earliest;
    while ((waves[wave]?.specs.length ?? 0) >= maxParallel) wave += 1;
    (waves[wave] ??= { specs: [] }).specs.push(index);
    placements.push(after === undefined ? { wave } : { wave, after });
  });
  return { waves, specs: placements };
}

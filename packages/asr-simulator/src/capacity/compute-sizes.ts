/** One virtual machine size as resource SKUs describe it. */
export interface VmSize {
  /** e.g. `Standard_D4s_v5`. */
  name: string;
  /** Quota family, the `name.value` of its compute usage, e.g. `standardDSv5Family`. */
  family: string;
  vCpus: number;
  memoryGb: number;
}

/**
 * Sizes every simulated region offers unless a scenario says otherwise: the common general-purpose,
 * memory- and compute-optimised sizes (vCPUs and memory as Azure publishes them).
 */
export const builtInSizes: readonly VmSize[] = [
  size('Standard_B2s', 'standardBSFamily', 2, 4),
  size('Standard_B2ms', 'standardBSFamily', 2, 8),
  size('Standard_B4ms', 'standardBSFamily', 4, 16),
  size('Standard_D2s_v3', 'standardDSv3Family', 2, 8),
  size('Standard_D4s_v3', 'standardDSv3Family', 4, 16),
  size('Standard_D8s_v3', 'standardDSv3Family', 8, 32),
  size('Standard_D2s_v5', 'standardDSv5Family', 2, 8),
  size('Standard_D4s_v5', 'standardDSv5Family', 4, 16),
  size('Standard_D8s_v5', 'standardDSv5Family', 8, 32),
  size('Standard_D16s_v5', 'standardDSv5Family', 16, 64),
  size('Standard_D2as_v5', 'standardDASv5Family', 2, 8),
  size('Standard_D4as_v5', 'standardDASv5Family', 4, 16),
  size('Standard_E2s_v5', 'standardESv5Family', 2, 16),
  size('Standard_E4s_v5', 'standardESv5Family', 4, 32),
  size('Standard_E8s_v5', 'standardESv5Family', 8, 64),
  size('Standard_E16s_v5', 'standardESv5Family', 16, 128),
  size('Standard_F2s_v2', 'standardFSv2Family', 2, 4),
  size('Standard_F4s_v2', 'standardFSv2Family', 4, 8),
];

function size(name: string, family: string, vCpus: number, memoryGb: number): VmSize {
  return { name, family, vCpus, memoryGb };
}

/** GiB of memory per vCPU by series letter, for sizes outside the catalogue. */
const memoryPerVCpu: Record<string, number> = { B: 4, D: 4, E: 8, F: 2, L: 8, M: 28 };

/**
 * A size outside the catalogue, derived from its name the way Azure names them:
 * `Standard_<series><vCPUs><features>[_v<n>]` → family `standard<SERIES><FEATURES>v<n>Family`
 * (`Standard_D4ds_v5` → `standardDDSv5Family`, 4 vCPUs). Undefined when the name does not parse.
 */
export function sizeFromName(name: string): VmSize | undefined {
  const match = /^Standard_([A-Z]+)(\d+)([a-z]*)(?:_v(\d+))?$/.exec(name);
  if (!match) return undefined;
  const [, series = '', cpus = '0', features = '', version] = match;
  const vCpus = Number.parseInt(cpus, 10);
  if (!(vCpus > 0)) return undefined;
  // Only the letters that make a separate quota family (AMD, local disk, premium storage, isolated).
  const flags = [...features]
    .filter((c) => 'adsil'.includes(c))
    .join('')
    .toUpperCase();
  const family = `standard${series}${flags}${version ? `v${version}` : ''}Family`;
  return { name, family, vCpus, memoryGb: vCpus * (memoryPerVCpu[series.charAt(0)] ?? 4) };
}

/** `standardDSv5Family` → `Standard DSv5 Family vCPUs`, as compute usages localise family names. */
export function familyDisplayName(family: string): string {
  const core = family.replace(/^standard/i, '').replace(/Family$/i, '');
  return `Standard ${core} Family vCPUs`;
}

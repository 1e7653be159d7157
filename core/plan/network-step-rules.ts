import { isIP } from './ip-address';
import { stepKindOf } from './normalize-plan';
import { isNetworkKind } from './network-step-types';
import type { PathSegment } from './plan-issue';
import type { Emit, LocatedStep, PlanParts } from './plan-parts';
import type { StepDocument } from './step-schema';

// Rules of the network and application step kinds (docs/network-steps.md): every item they name is
// failed over by a step that runs before them, values fit their record types, nothing is listed twice.

const key = (ref: string): string => ref.toLowerCase();

function failoverRef(item: NonNullable<StepDocument['failover']>['items'][number]): string {
  return typeof item === 'string' ? item : 'vmId' in item ? item.vmId : item.name;
}

/** Step id → the ids it waits for, directly or through others (explicit dependsOn and group barriers). */
function ancestorsOf(parts: PlanParts): (id: string) => Set<string> {
  const direct = new Map<string, string[]>();
  const byGroup = new Map<number, string[]>();
  for (const s of parts.lite) {
    if (s.id === undefined || s.groupIndex === undefined) continue;
    byGroup.set(s.groupIndex, [...(byGroup.get(s.groupIndex) ?? []), s.id]);
  }
  for (const s of parts.lite) {
    if (s.id === undefined) continue;
    const barrier =
      s.groupIndex !== undefined && s.groupIndex > 0 ? (byGroup.get(s.groupIndex - 1) ?? []) : [];
    direct.set(s.id, [...s.dependsOn, ...barrier]);
  }
  const memo = new Map<string, Set<string>>();
  const walk = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const seen = new Set<string>();
    memo.set(id, seen); // cycles are reported elsewhere; this stops them here
    const stack = [...(direct.get(id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    return seen;
  };
  return walk;
}

/** Item references of a network step, with where each is written. */
function itemRefs(doc: StepDocument, path: PathSegment[]): { ref: string; at: PathSegment[] }[] {
  const refs: { ref: string; at: PathSegment[] }[] = [];
  doc.publicIp?.assignments.forEach((a, i) =>
    refs.push({ ref: a.item, at: [...path, 'publicIp', 'assignments', i, 'item'] }),
  );
  doc.loadBalancer?.items.forEach((ref, i) => refs.push({ ref, at: [...path, 'loadBalancer', 'items', i] }));
  doc.nsg?.items?.forEach((ref, i) => refs.push({ ref, at: [...path, 'nsg', 'items', i] }));
  Object.keys(doc.staticIp?.addresses ?? {}).forEach((ref) =>
    refs.push({ ref, at: [...path, 'staticIp', 'addresses', ref] }),
  );
  doc.dns?.records.forEach((r, i) =>
    r.items?.forEach((ref, j) => refs.push({ ref, at: [...path, 'dns', 'records', i, 'items', j] })),
  );
  return refs;
}

function checkItemRefs(parts: PlanParts, emit: Emit): void {
  const owner = new Map<string, string>();
  for (const step of parts.steps)
    for (const item of step.doc.failover?.items ?? []) owner.set(key(failoverRef(item)), step.doc.id);
  const names = [...new Set([...parts.steps.flatMap((s) => (s.doc.failover?.items ?? []).map(failoverRef))])];
  const ancestors = ancestorsOf(parts);
  for (const step of parts.steps) {
    const seen = new Map<string, PathSegment[]>();
    const duplicatesMatter = !step.doc.dns; // one DNS record may list an item another record lists too
    for (const { ref, at } of itemRefs(step.doc, step.path)) {
      const failedOverBy = owner.get(key(ref));
      if (failedOverBy === undefined) {
        const hint = names.length === 0 ? '; the plan has no failover items' : parts.suggest(ref, names);
        emit(
          'network/unknown-item',
          at,
          `item "${ref}" is not an item of any failover step of this plan${hint}`,
        );
        continue;
      }
      if (!ancestors(step.doc.id).has(failedOverBy))
        emit(
          'network/item-order',
          at,
          `item "${ref}" is failed over by step "${failedOverBy}", which this step does not wait for; add it to dependsOn (or put this step in a later group)`,
        );
      if (duplicatesMatter && seen.has(key(ref)))
        emit('network/duplicate-item', at, `item "${ref}" is listed twice in this step`);
      seen.set(key(ref), at);
    }
  }
}

function checkDns(step: LocatedStep, emit: Emit): void {
  const dns = step.doc.dns;
  if (!dns) return;
  const at = [...step.path, 'dns'];
  const zoneIsPrivate = /\/privateDnsZones\//i.test(dns.zone);
  if (dns.private !== undefined && dns.private !== zoneIsPrivate)
    emit(
      'dns/zone-type',
      [...at, 'private'],
      zoneIsPrivate
        ? 'the zone is a privateDnsZones resource; private must be true (or left out)'
        : 'private: true needs a Microsoft.Network/privateDnsZones zone id; this one is a public dnszones zone',
    );
  if (typeof dns.drill === 'object' && /\/privateDnsZones\//i.test(dns.drill.zone) !== zoneIsPrivate)
    emit(
      'dns/zone-type',
      [...at, 'drill', 'zone'],
      'the drill zone must be of the same type (public or private) as the zone',
    );
  const names = new Set<string>();
  dns.records.forEach((r, i) => {
    const rat = [...at, 'records', i];
    const id = `${r.name.toLowerCase()} ${r.type}`;
    if (names.has(id))
      emit('dns/duplicate-record', [...rat, 'name'], `record set ${r.name} ${r.type} is listed twice`);
    names.add(id);
    const given = (r.items !== undefined ? 1 : 0) + (r.value !== undefined ? 1 : 0);
    if (given !== 1) {
      emit(
        'dns/record-value',
        rat,
        'a record has exactly one of items (failed-over addresses) or value (a literal)',
      );
      return;
    }
    if (r.type === 'CNAME') {
      if (r.items !== undefined)
        emit(
          'dns/record-value',
          [...rat, 'items'],
          'a CNAME record points at a host name: give value, not items',
        );
      else if (isIP(r.value!) !== 0)
        emit('dns/record-value', [...rat, 'value'], 'a CNAME value is a host name, not an address');
      if (r.name === '@')
        emit('dns/record-value', [...rat, 'name'], 'the zone apex (@) cannot hold a CNAME record');
    } else if (r.value !== undefined && isIP(r.value) !== (r.type === 'A' ? 4 : 6)) {
      emit(
        'dns/record-value',
        [...rat, 'value'],
        `an ${r.type} record value must be an IPv${r.type === 'A' ? 4 : 6} address`,
      );
    }
    if (r.address !== undefined && r.items === undefined)
      emit(
        'dns/record-value',
        [...rat, 'address'],
        'address chooses which address of the items to use; it needs items',
      );
    if (r.type === 'AAAA' && r.items !== undefined)
      emit(
        'dns/record-value',
        [...rat, 'items'],
        'failed-over NIC addresses are IPv4: use type A, or a literal AAAA value',
      );
  });
}

function checkKindSettings(step: LocatedStep, emit: Emit): void {
  const { doc, path } = step;
  if (doc.trafficManager) {
    const names = new Set<string>();
    doc.trafficManager.endpoints.forEach((e, i) => {
      const at = [...path, 'trafficManager', 'endpoints', i];
      if (e.status === undefined && e.priority === undefined)
        emit(
          'traffic-manager/endpoint',
          at,
          `endpoint "${e.name}" changes nothing: give status and/or priority`,
        );
      if (names.has(e.name.toLowerCase()))
        emit('traffic-manager/endpoint', [...at, 'name'], `endpoint "${e.name}" is listed twice`);
      names.add(e.name.toLowerCase());
    });
    const priorities = doc.trafficManager.endpoints.flatMap((e) =>
      e.priority === undefined ? [] : [e.priority],
    );
    if (new Set(priorities).size !== priorities.length)
      emit(
        'traffic-manager/endpoint',
        [...path, 'trafficManager', 'endpoints'],
        'two endpoints are given the same priority; Traffic Manager needs them distinct',
      );
  }
  if (doc.nsg && doc.nsg.items === undefined && doc.nsg.subnets === undefined)
    emit('nsg/target', [...path, 'nsg'], 'an nsg step needs items (their failed-over NICs) and/or subnets');
  if (doc.staticIp) {
    const owners = new Map<string, string>();
    for (const [item, address] of Object.entries(doc.staticIp.addresses)) {
      const other = owners.get(address);
      if (other !== undefined)
        emit(
          'static-ip/duplicate-address',
          [...path, 'staticIp', 'addresses', item],
          `address ${address} is also given to "${other}"`,
        );
      owners.set(address, item);
    }
    if (owners.size === 0)
      emit('schema/empty', [...path, 'staticIp', 'addresses'], 'list at least one item and its address');
  }
  if (doc.publicIp) {
    const owners = new Map<string, number>();
    doc.publicIp.assignments.forEach((a, i) => {
      if (owners.has(a.publicIp.toLowerCase()))
        emit(
          'public-ip/duplicate',
          [...path, 'publicIp', 'assignments', i, 'publicIp'],
          'a public IP can be attached to one NIC only; it is already assigned above',
        );
      owners.set(a.publicIp.toLowerCase(), i);
    });
  }
  const ag = doc.sqlAvailabilityGroup;
  if (ag?.primaryVm !== undefined && ag.primaryVm.toLowerCase() === ag.vm.toLowerCase())
    emit(
      'sql-ag/vm',
      [...path, 'sqlAvailabilityGroup', 'primaryVm'],
      'primaryVm is the replica that was primary before; it cannot be the failover target vm',
    );
  if (ag && doc.compensation === 'auto' && ag.primaryVm === undefined)
    emit(
      'compensation/auto',
      [...path, 'compensation'],
      'an automatic compensation fails the availability group back to the old primary: name it with sqlAvailabilityGroup.primaryVm',
    );
  if (ag && (doc.when ?? []).includes('test'))
    emit(
      'drill/network-skipped',
      [...path, 'when'],
      'a drill never fails a production availability group over; this step is skipped in test failovers',
      'warning',
    );
}

/** Network step kinds: item references, values and the kind's own constraints. */
export function checkNetworkSteps(parts: PlanParts, emit: Emit): void {
  // Plans without network steps (most) pay nothing here.
  if (!parts.steps.some((s) => stepKindOf(s.doc).some(isNetworkKind))) return;
  checkItemRefs(parts, emit);
  for (const step of parts.steps) {
    checkDns(step, emit);
    checkKindSettings(step, emit);
  }
}

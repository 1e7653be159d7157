import { ArmError } from '../arm-error';
import { isIpv6, parseIpv4 } from './ip-addresses';
import { strip } from './network-types';
import type { ArmResource } from './resource-store';
import {
  asArray,
  asObject,
  asString,
  asTags,
  invalid,
  type BuildInput,
  type ResourceType,
} from './resource-type';

/** api-versions of @azure/arm-dns 5.1.0 and @azure/arm-privatedns 4.0.0. */
export const dnsApiVersions = ['2018-05-01', '2023-07-01-preview'] as const;
export const privateDnsApiVersions = ['2024-06-01', '2020-06-01'] as const;

export const recordTypes = ['A', 'AAAA', 'CNAME', 'TXT'] as const;
export type RecordType = (typeof recordTypes)[number];

/** Public DNS names its record fields in capitals (`TTL`, `ARecords`), private DNS in camelCase. */
interface Flavor {
  zoneType: string;
  zoneCollection: string;
  operation: string;
  apiVersions: readonly string[];
  fields: { ttl: string; A: string; AAAA: string; CNAME: string; TXT: string };
}

export const publicDns: Flavor = {
  zoneType: 'Microsoft.Network/dnszones',
  zoneCollection: 'dnsZones',
  operation: 'RecordSets',
  apiVersions: dnsApiVersions,
  fields: { ttl: 'TTL', A: 'ARecords', AAAA: 'AAAARecords', CNAME: 'CNAMERecord', TXT: 'TXTRecords' },
};
export const privateDns: Flavor = {
  zoneType: 'Microsoft.Network/privateDnsZones',
  zoneCollection: 'privateDnsZones',
  operation: 'PrivateRecordSets',
  apiVersions: privateDnsApiVersions,
  fields: { ttl: 'ttl', A: 'aRecords', AAAA: 'aaaaRecords', CNAME: 'cnameRecord', TXT: 'txtRecords' },
};

const zoneName = (input: BuildInput): string => input.parsed.names[0] ?? '';

function checkZoneName(name: string): void {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(name) || name.length > 253)
    throw invalid(
      'BadRequest',
      `The zone name '${name}' is not a valid DNS name (labels of letters, digits and hyphens, at least two).`,
    );
}

function zoneType(flavor: Flavor): ResourceType {
  const isPrivate = flavor === privateDns;
  return {
    operation: isPrivate ? 'PrivateZones' : 'Zones',
    type: flavor.zoneType,
    namespace: 'Microsoft.Network',
    collection: flavor.zoneCollection,
    apiVersions: flavor.apiVersions,
    // DNS zones are written synchronously; private zones answer 202 with Azure-AsyncOperation.
    write: isPrivate ? 'async' : 'sync',
    remove: 'async',
    patch: 'merge',
    conditional: true,
    etagStyle: 'plain',
    seconds: 2,
    build({ id, name, body, existing }: BuildInput): ArmResource {
      checkZoneName(name);
      const location = (asString(body.location, 'location') ?? existing?.location ?? 'global').toLowerCase();
      if (location !== 'global')
        throw invalid('BadRequest', `DNS zones are global: 'location' must be 'global' (got '${location}').`);
      const p = asObject(body.properties, 'properties') ?? {};
      if (!isPrivate && p.zoneType !== undefined && p.zoneType !== 'Public')
        throw invalid(
          'BadRequest',
          "'properties.zoneType' must be Public (private zones are Microsoft.Network/privateDnsZones).",
        );
      return {
        id,
        name,
        type: flavor.zoneType,
        location: 'global',
        tags: asTags(body.tags),
        properties: isPrivate
          ? { internalId: Buffer.from(id.toLowerCase()).toString('base64').slice(0, 40) }
          : {
              zoneType: 'Public',
              nameServers: [
                'ns1-01.azure-dns.com.',
                'ns2-01.azure-dns.net.',
                'ns3-01.azure-dns.org.',
                'ns4-01.azure-dns.info.',
              ],
            },
      };
    },
    render(zone, state) {
      const count = state.store.childrenOf(zone.id).length;
      return {
        ...strip(zone),
        properties: {
          ...zone.properties,
          numberOfRecordSets: count,
          maxNumberOfRecordSets: isPrivate ? 25000 : 10000,
        },
      };
    },
  };
}

export const dnsZoneType = zoneType(publicDns);
export const privateDnsZoneType = zoneType(privateDns);

/** One record-set type (A, AAAA, CNAME, TXT) of public or private DNS. */
function recordSetType(flavor: Flavor, recordType: RecordType): ResourceType {
  const f = flavor.fields;
  return {
    operation: flavor.operation,
    type: `${flavor.zoneType}/${recordType}`,
    namespace: 'Microsoft.Network',
    collection: flavor.zoneCollection,
    apiVersions: flavor.apiVersions,
    write: 'sync',
    remove: 'sync',
    patch: 'merge',
    conditional: true,
    etagStyle: 'plain',
    seconds: 0,
    build(input: BuildInput): ArmResource {
      const { id, name, body, state } = input;
      const zone = zoneName(input);
      const zoneId = id.split('/').slice(0, -2).join('/');
      if (!state.store.get(zoneId))
        throw new ArmError(
          404,
          'ParentResourceNotFound',
          `Can not perform requested operation on nested resource. Parent resource '${zone}' not found.`,
        );
      const p = asObject(body.properties, 'properties', true)!;
      const ttlValue = p[f.ttl] ?? 3600;
      if (
        typeof ttlValue !== 'number' ||
        !Number.isInteger(ttlValue) ||
        ttlValue < 0 ||
        ttlValue > 2147483647
      )
        throw invalid(
          'BadRequest',
          `'properties.${f.ttl}' must be a whole number of seconds from 0 to 2147483647.`,
        );
      for (const other of recordTypes)
        if (other !== recordType && p[f[other]] !== undefined && p[f[other]] !== null)
          throw invalid(
            'BadRequest',
            `A record set of type ${recordType} cannot hold 'properties.${f[other]}' (${other} records).`,
          );
      const records = recordsOf(recordType, p[f[recordType]], `properties.${f[recordType]}`, f);
      if (recordType === 'CNAME' && name === '@')
        throw invalid('BadRequest', 'A CNAME record set cannot be created at the zone apex (@).');
      // CNAME may not share a name with any other record set (RFC 1034), in either direction.
      const sameName = state.store
        .childrenOf(zoneId)
        .filter(
          (r) =>
            r.name.toLowerCase() === name.toLowerCase() &&
            r.type.toLowerCase() !== `${flavor.zoneType}/${recordType}`.toLowerCase(),
        );
      if (sameName.length > 0 && (recordType === 'CNAME' || sameName.some((r) => r.type.endsWith('/CNAME'))))
        throw new ArmError(
          409,
          'Conflict',
          `The record set '${name}' of type ${recordType} conflicts with the existing ${sameName[0]!.type.split('/').pop()!} record set of the same name: a CNAME must stand alone.`,
        );
      const metadata = asObject(p.metadata, 'properties.metadata');
      return {
        id,
        name,
        type: `${flavor.zoneType}/${recordType}`,
        properties: {
          ...(metadata ? { metadata } : {}),
          [f.ttl]: ttlValue,
          fqdn: name === '@' ? `${zone}.` : `${name}.${zone}.`,
          ...(flavor === privateDns ? { isAutoRegistered: false } : {}),
          [f[recordType]]: records,
        },
      };
    },
  };
}

function recordsOf(recordType: RecordType, value: unknown, field: string, f: Flavor['fields']): unknown {
  switch (recordType) {
    case 'A':
      return asArray(value, field).map((raw, i) => {
        const address = asString(
          asObject(raw, `${field}[${i}]`, true)!.ipv4Address,
          `${field}[${i}].ipv4Address`,
          true,
        )!;
        if (parseIpv4(address) === undefined)
          throw invalid('BadRequest', `'${field}[${i}].ipv4Address' '${address}' is not an IPv4 address.`);
        return { ipv4Address: address };
      });
    case 'AAAA':
      return asArray(value, field).map((raw, i) => {
        const address = asString(
          asObject(raw, `${field}[${i}]`, true)!.ipv6Address,
          `${field}[${i}].ipv6Address`,
          true,
        )!;
        if (!isIpv6(address))
          throw invalid('BadRequest', `'${field}[${i}].ipv6Address' '${address}' is not an IPv6 address.`);
        return { ipv6Address: address };
      });
    case 'CNAME': {
      const record = asObject(value, field);
      if (!record) throw invalid('BadRequest', `A CNAME record set needs '${f.CNAME}' with one alias.`);
      return { cname: asString(record.cname, `${field}.cname`, true) };
    }
    case 'TXT':
      return asArray(value, field).map((raw, i) => ({
        value: asArray(asObject(raw, `${field}[${i}]`, true)!.value, `${field}[${i}].value`).map(String),
      }));
  }
}

export const dnsRecordSetTypes = recordTypes.map((t) => recordSetType(publicDns, t));
export const privateDnsRecordSetTypes = recordTypes.map((t) => recordSetType(privateDns, t));

/** The record-set type for a path's `{recordType}` segment, or 400 naming the supported ones. */
export function recordSetTypeFor(flavor: Flavor, segment: string): ResourceType {
  const types = flavor === privateDns ? privateDnsRecordSetTypes : dnsRecordSetTypes;
  const found = types.find((t) => t.type.split('/').pop()!.toLowerCase() === segment.toLowerCase());
  if (!found)
    throw invalid(
      'BadRequest',
      `The record type '${segment}' is not modelled by the simulator; supported: ${recordTypes.join(', ')}.`,
    );
  return found;
}

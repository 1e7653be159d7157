import type { Scenario, ScenarioItem } from '../scenario/scenario-schema';
import { stableGuid } from '../random';
import { primarySubnetName } from './failover-resources';
import {
  appResourceGroup,
  armId,
  recoveryNicName,
  regionVnetName,
  sourceNicName,
  testNicName,
  testVnetName,
} from './resource-seed';

/** What the NIC details need to know about an item: where it replicates from and to. */
export interface NicDetailsInput {
  vmName: string;
  spec: ScenarioItem;
  provider: string;
  /** Region the item replicates from now (A2A: changes with switch protection), or undefined on-premises. */
  sourceRegion?: string;
  /** Region a failover brings it up in. */
  targetRegion: string;
  scenario: Scenario;
}

const vnetId = (scenario: Scenario, region: string, name: string): string =>
  armId(scenario.subscriptionId, appResourceGroup(region), 'Microsoft.Network', 'virtualNetworks', name);

/**
 * `vmNics[]` (the SDK's `VMNicDetails`) as A2A, HyperVReplicaAzure and InMageAzureV2 items report
 * them: the NIC a failover creates (`recoveryNicName` in `recoveryNicResourceGroupName`, in
 * `recoveryVMNetworkId`), the drill NIC (`tfoRecoveryNicName` in `tfoVMNetworkId`) and the addresses
 * configured per IP configuration. Names follow resources/resource-seed.ts: `<vm>-nic` in the region
 * the VM was enabled from, `<vm>-nic-asr` in the other, `<vm>-test-nic` for test failover.
 */
export function vmNicDetails(input: NicDetailsInput): Record<string, unknown>[] {
  const { scenario, spec, vmName, targetRegion, sourceRegion } = input;
  const network = spec.network ?? {};
  const towardsInitialPrimary = input.provider === 'A2A' && targetRegion === scenario.primary.location;
  const subnet = primarySubnetName(spec) ?? 'default';
  const recoverySubnet = network.recoverySubnet ?? subnet;
  const sourceNic = sourceRegion
    ? armId(
        scenario.subscriptionId,
        appResourceGroup(sourceRegion),
        'Microsoft.Network',
        'networkInterfaces',
        towardsInitialPrimary ? recoveryNicName(vmName) : sourceNicName(vmName),
      )
    : undefined;
  return [
    {
      nicId: sourceNic ?? stableGuid(vmName, 'source-nic'),
      ...(sourceNic
        ? {
            sourceNicArmId: sourceNic,
            vMNetworkName: vnetId(scenario, sourceRegion!, regionVnetName(sourceRegion!)),
          }
        : { vMNetworkName: 'VM Network' }),
      recoveryVMNetworkId: vnetId(scenario, targetRegion, regionVnetName(targetRegion)),
      recoveryNicName: towardsInitialPrimary ? sourceNicName(vmName) : recoveryNicName(vmName),
      recoveryNicResourceGroupName: appResourceGroup(targetRegion),
      reuseExistingNic: towardsInitialPrimary,
      tfoVMNetworkId: vnetId(scenario, targetRegion, testVnetName(targetRegion)),
      tfoRecoveryNicName: testNicName(vmName),
      tfoRecoveryNicResourceGroupName: appResourceGroup(targetRegion),
      tfoReuseExistingNic: false,
      selectionType: 'SelectedByUser',
      ipConfigs: [
        {
          name: 'ipconfig1',
          isPrimary: true,
          isSeletedForFailover: true,
          subnetName: subnet,
          ...(network.privateIp ? { staticIPAddress: network.privateIp } : {}),
          ipAddressType: network.privateIp ? 'Static' : 'Dynamic',
          recoverySubnetName: recoverySubnet,
          ...(network.recoveryStaticIp ? { recoveryStaticIPAddress: network.recoveryStaticIp } : {}),
          recoveryIPAddressType: network.recoveryStaticIp ? 'Static' : 'Dynamic',
          tfoSubnetName: recoverySubnet,
          ...(network.testStaticIp ? { tfoStaticIPAddress: network.testStaticIp } : {}),
        },
      ],
    },
  ];
}

/** `vmNics[]` of an InMageRcm item (`InMageRcmNicDetails`: target and test addresses per NIC). */
export function inMageRcmNicDetails(input: NicDetailsInput): Record<string, unknown>[] {
  const network = input.spec.network ?? {};
  const subnet = network.recoverySubnet ?? primarySubnetName(input.spec) ?? 'default';
  return [
    {
      nicId: stableGuid(input.vmName, 'source-nic'),
      isPrimaryNic: 'true',
      isSelectedForFailover: 'true',
      ...(network.privateIp
        ? { sourceIPAddress: network.privateIp, sourceIPAddressType: 'StaticIP' }
        : { sourceIPAddressType: 'DynamicIP' }),
      targetSubnetName: subnet,
      ...(network.recoveryStaticIp ? { targetIPAddress: network.recoveryStaticIp } : {}),
      targetIPAddressType: network.recoveryStaticIp ? 'StaticIP' : 'DynamicIP',
      testSubnetName: subnet,
      ...(network.testStaticIp ? { testIPAddress: network.testStaticIp } : {}),
      testIPAddressType: network.testStaticIp ? 'StaticIP' : 'DynamicIP',
    },
  ];
}

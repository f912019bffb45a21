import { Distribution } from '../kube-vip/distributions';
import { Construct } from 'constructs';
import { AnnounceMode, EgressBackend, ForwardingMethod, ImageVariant, StaticPodKubeconfig } from '../kube-vip/defaults';
import { KubeVipValues } from '../model/values';
import { chooseImage } from '../model/workloads';
import { checkValues } from '../validation/validate';
import { Announcement, BgpPassword } from './announcement';
import { KubeVipCloudProvider } from './cloud-provider';
import { KubeVipControlPlane, ControlPlaneWorkload } from './control-plane';
import { EgressGateway } from './egress-gateway';
import { IptablesImage, KubeVipImage } from './image';
import { KubeVip } from './kube-vip';
import { LoadBalancerPools } from './load-balancer-pools';
import { KubeVipServicesLB } from './services-lb';

function announcementOf(announce: KubeVipValues['announce']): Announcement {
  switch (announce.mode) {
    case AnnounceMode.BGP:
      return Announcement.bgp({
        ...announce.bgp,
        peers: announce.bgp.peers.map(({ password, ...peer }) => ({
          ...peer,
          password: password ? BgpPassword.fromSecret(password.name, password.key) : undefined,
        })),
      });
    case AnnounceMode.ROUTING_TABLE:
      return Announcement.routingTable(announce.routingTable);
    default:
      return Announcement.arp(announce.arp);
  }
}

/**
 * A values file (or several, merged left to right as Helm does) to the same constructs a
 * TypeScript user would write. Every problem is reported at once, as a KubeVipConfigError.
 */
export function kubeVipFromValues(scope: Construct, id: string, ...inputs: unknown[]): KubeVip {
  return constructsOf(scope, id, checkValues(...inputs).values);
}

/**
 * The constructs a TypeScript user would write for these values, with the props as they are:
 * what the constructs themselves refuse is refused at synthesis. The bad-input corpus feeds
 * unchecked values through here to prove that props get every check values files get.
 * @internal
 */
export function constructsOf(scope: Construct, id: string, values: KubeVipValues): KubeVip {
  const { image: img, controlPlane: cp, services, egress } = values;
  const unpinned =
    chooseImage(values).variant === ImageVariant.IPTABLES
      ? KubeVipImage.iptables(img.tag, img.iptablesRepository)
      : KubeVipImage.standard(img.tag, img.repository);
  const image = img.digest ? unpinned.withDigest(img.digest) : unpinned;

  const kubeVip = new KubeVip(scope, id, {
    image,
    announce: announcementOf(values.announce),
    name: values.name,
    namespace: values.namespace,
    distribution: values.distribution as Distribution,
    interface: values.interface,
    nodeGroups: values.nodeGroups,
    pullPolicy: img.pullPolicy,
    pullSecrets: img.pullSecrets,
    pod: values.pod,
    serviceAccount: values.serviceAccount,
    updateStrategy: values.updateStrategy,
    metrics: values.metrics,
    health: values.health,
    scheduling: values.scheduling,
    resources: values.resources,
    extraEnv: values.extraEnv,
    cluster: values.cluster,
  });
  // Helm's global values come from an umbrella chart, never from TypeScript props: passed as they are.
  kubeVip.addValues({ global: values.global });
  // The casts state to the compiler what the types would prove for a TypeScript caller (the
  // iptables image for iptables features); KubeVip's own validation refuses the values if not.
  // (Enum casts are exact: the schema admits only the enums' own strings.)
  const checked = kubeVip as KubeVip<IptablesImage>;

  if (cp.enabled) {
    new KubeVipControlPlane(checked, 'control-plane', {
      address: cp.address,
      port: cp.port,
      workload:
        cp.deployment === 'staticPod'
          ? ControlPlaneWorkload.staticPod(cp.kubeconfig as StaticPodKubeconfig)
          : ControlPlaneWorkload.daemonSet(),
      leaderElection: cp.leaderElection,
      loadBalancer: cp.loadBalancer.enabled
        ? { port: cp.loadBalancer.port, forwardingMethod: cp.loadBalancer.forwardingMethod as ForwardingMethod }
        : undefined,
    });
  }
  if (services.enabled) {
    const { enabled: _, ...options } = services;
    const lb = new KubeVipServicesLB(checked, 'services', options);
    if (egress.enabled) {
      new EgressGateway(lb as KubeVipServicesLB<IptablesImage, true>, 'egress', {
        podCIDR: egress.podCIDR || values.cluster.podCIDRs.join(','),
        serviceCIDR: egress.serviceCIDR || values.cluster.serviceCIDRs.join(','),
        backend: egress.backend as EgressBackend,
        cleanOnStart: egress.cleanOnStart,
      });
    }
  }
  if (values.ipam.enabled) {
    const pools = new LoadBalancerPools(kubeVip, 'pools', values.ipam);
    const { enabled, ...provider } = values.ipam.cloudProvider;
    if (enabled) {
      new KubeVipCloudProvider(pools, 'cloud-provider', {
        ...provider,
        tolerations: provider.tolerations as Record<string, unknown>[],
      });
    }
  }
  return kubeVip;
}

import { POOL_SHADOWED } from '../kube-vip/cloud-provider';
import { AnnounceMode, ControlPlaneDeployment, ImageVariant, StaticPodKubeconfig } from '../kube-vip/defaults';
import { MANAGED_ENV_NAMES } from '../kube-vip/env';
import { STANDARD_IMAGE_REFUSAL } from '../kube-vip/iptables';
import { ENV_NOT_READ, NODE_RULES, RELEASE_UNKNOWN } from '../kube-vip/node-rules';
import { ENV_SINCE, parseRelease, releaseAtLeast } from '../kube-vip/releases';
import { holds, lookup } from '../expr/cond';
import { KubeVipValues } from '../model/values';
import { parseIp, IpFamily } from '../net/ip';
import { chooseImage, planWorkloads } from '../model/workloads';
import { Problems } from './problems';

/** Combinations kube-vip accepts but that fail, or silently do nothing, on a node. */
export function checkFeatures(values: KubeVipValues, problems: Problems): void {
  const { controlPlane: cp, services, egress, announce } = values;

  if (!cp.enabled && !services.enabled) {
    problems.error(
      'feature-none',
      'controlPlane.enabled',
      false,
      'and services.enabled are both off; kube-vip exits with "no features are enabled"',
      'set controlPlane.enabled or services.enabled to true',
    );
  }
  if (cp.enabled && cp.address === '') {
    problems.error('control-plane-address', 'controlPlane.address', '', 'is empty but the control plane is on', 'set the VIP, e.g. controlPlane.address: 192.168.1.10');
  }
  if (cp.enabled && announce.mode === AnnounceMode.ARP && !cp.leaderElection.enabled) {
    problems.error(
      'arp-needs-leader-election',
      'controlPlane.leaderElection.enabled',
      false,
      'does not stop the election in ARP mode: kube-vip v1.2.1 and v1.2.2 elect one leader anyway, then on their default lease plndr-cp-lock and timings, since ours are not written (shown on real kube-vip)',
      'set controlPlane.leaderElection.enabled: true (only BGP can announce from every node)',
    );
  }
  if (!cp.enabled && cp.loadBalancer.enabled) {
    problems.warning('load-balancer-without-control-plane', 'controlPlane.loadBalancer.enabled', true, 'has no effect while the control plane is off', 'turn on controlPlane.enabled or remove it');
  }
  if (cp.kubeconfig === StaticPodKubeconfig.SUPER_ADMIN && !(cp.enabled && cp.deployment === ControlPlaneDeployment.STATIC_POD)) {
    problems.error(
      'P5-kubeconfig-static-pod-only',
      'controlPlane.kubeconfig',
      cp.kubeconfig,
      'only applies to a static pod; a DaemonSet authenticates with its ServiceAccount',
      'set controlPlane.deployment: staticPod, or remove controlPlane.kubeconfig',
    );
  }

  // P1-P3: features that shell out to iptables, against an explicit image choice.
  const workloads = planWorkloads(values);
  if (values.image.variant === ImageVariant.STANDARD) {
    for (const need of chooseImage(values).needs) {
      problems.error(need.rule, need.path, valueAt(values, need.path), STANDARD_IMAGE_REFUSAL.message(need, values.image.tag), STANDARD_IMAGE_REFUSAL.fix);
    }
  }

  if (egress.enabled) {
    if (!services.enabled) {
      problems.error('P3-egress-needs-services', 'egress.enabled', true, 'does nothing while services are off', 'set services.enabled: true');
    } else if (!services.election) {
      problems.error(
        'P3-egress-needs-election',
        'services.election',
        false,
        'must be on for egress: egress rules follow the node that holds the Service\'s own lease',
        'set services.election: true',
      );
    }
    for (const [key, facts] of [
      ['podCIDR', 'podCIDRs'],
      ['serviceCIDR', 'serviceCIDRs'],
    ] as const) {
      if (egress[key] === '' && values.cluster[facts].length === 0) {
        problems.error(
          'P3-egress-cidrs',
          `egress.${key}`,
          '',
          `is empty: kube-vip would guess it from kube-controller-manager's flags or fall back to a default, and SNAT cluster traffic when the guess is wrong`,
          `set egress.${key} or cluster.${facts}`,
        );
      }
    }
  }

  if (announce.mode === AnnounceMode.BGP) {
    const bgp = announce.bgp;
    if (bgp.routerID === '' && bgp.routerInterface === '') {
      problems.error('bgp-router-id', 'announce.bgp.routerID', '', 'and routerInterface are both empty; BGP needs a router ID', 'set announce.bgp.routerID to this node\'s IPv4 address, or routerInterface');
    } else if (bgp.routerID !== '' && parseIp(bgp.routerID)?.family !== IpFamily.IPV4) {
      problems.error('bgp-router-id', 'announce.bgp.routerID', bgp.routerID, 'is not an IPv4 address; a BGP router ID is a 32-bit number written as one', 'write an IPv4 address');
    }
    if (bgp.peers.length === 0) {
      problems.error('bgp-peers', 'announce.bgp.peers', [], 'is empty; kube-vip would announce to nobody', 'add at least one peer: {address, as}');
    }
    const staticPod = cp.enabled && cp.deployment === ControlPlaneDeployment.STATIC_POD;
    bgp.peers.forEach((peer, i) => {
      if (peer.password && staticPod) {
        problems.error(
          'bgp-password-static-pod',
          `announce.bgp.peers[${i}].password`,
          peer.password,
          'cannot reach a static pod: the kubelet does not resolve Secret references for static pods',
          'run the control plane as a DaemonSet (controlPlane.deployment: daemonset) to use BGP passwords',
        );
      }
    });
  }

  if (services.enabled && services.loadBalancerClass.only && services.loadBalancerClass.name === '') {
    problems.error('lb-class-name', 'services.loadBalancerClass.name', '', 'is empty while only that class is served; no Service would match', 'set a class name');
  }
  // What real kube-vip does with the rest (lib/kube-vip/node-rules.ts; the chart's copy is generated).
  for (const rule of NODE_RULES) {
    if (holds(rule.when, { values, workload: {} })) problems[rule.severity](rule.rule, rule.path, valueAt(values, rule.path), rule.message, rule.fix);
  }
  checkRelease(values, problems);
  if (values.ipam.enabled) checkPoolOrder(values.ipam, problems);
  if (values.ipam.enabled && !services.enabled) {
    problems.warning('ipam-without-services', 'ipam.enabled', true, 'hands out addresses nobody announces while services are off', 'turn on services.enabled');
  }

  for (const w of workloads) {
    if (w.name.length > 63) {
      problems.error('name-length', 'name', values.name, `gives the object name "${w.name}", longer than the 63 characters a label value allows`, 'choose a shorter name');
    }
  }

  values.extraEnv.forEach((env, i) => {
    const { name } = env;
    if (name === '') {
      problems.error('extra-env', `extraEnv[${i}]`, env, 'has no name', 'write {name: ..., value: ...}');
    } else if (MANAGED_ENV_NAMES.has(name)) {
      problems.error(
        'extra-env-managed',
        `extraEnv[${i}].name`,
        name,
        'is set from the model already; two values for one variable would disagree',
        'use the model\'s field for it instead of extraEnv',
      );
    } else if (ENV_SINCE[name] && !releaseAtLeast(values.image.tag, ENV_SINCE[name].since)) {
      const { since } = ENV_SINCE[name];
      problems.error(ENV_NOT_READ.rule, `extraEnv[${i}].name`, name, ENV_NOT_READ.message(since, values.image.tag), ENV_NOT_READ.fix(since));
    }
  });
}

function valueAt(values: KubeVipValues, path: string): unknown {
  return lookup({ values, workload: {} }, `values.${path}`);
}

/** A tag that is not a release version is judged as the default release: say so. */
function checkRelease(values: KubeVipValues, problems: Problems): void {
  if (!parseRelease(values.image.tag)) problems.warning(RELEASE_UNKNOWN.rule, RELEASE_UNKNOWN.path, values.image.tag, RELEASE_UNKNOWN.message, RELEASE_UNKNOWN.fix);
}

function checkPoolOrder(ipam: KubeVipValues['ipam'], problems: Problems): void {
  const { rule, message, globalFix, namespaceFix } = POOL_SHADOWED;
  if (ipam.global.cidrs.length > 0 && ipam.global.ranges.length > 0) {
    problems.error(rule, 'ipam.global.ranges', ipam.global.ranges, message('ipam.global.cidrs'), globalFix);
  }
  for (const [namespace, pool] of Object.entries(ipam.namespaces)) {
    const ranges = pool.ranges ?? [];
    if (ranges.length === 0) continue;
    const shadow = (pool.cidrs ?? []).length > 0 ? `ipam.namespaces.${namespace}.cidrs` : ipam.global.cidrs.length > 0 ? 'ipam.global.cidrs' : undefined;
    if (shadow) problems.error(rule, `ipam.namespaces.${namespace}.ranges`, ranges, message(shadow), namespaceFix(namespace, shadow));
  }
}

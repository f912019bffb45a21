import {
  Announcement,
  checkValues,
  EgressGateway,
  KubeVip,
  KubeVipConfigError,
  KubeVipImage,
  KubeVipServicesLB,
  KubeVipValuesInput,
} from '../../lib';
import fc from 'fast-check';
import { unannounceableIn } from '../../lib/net/address-classes';
import { parseIp } from '../../lib/net/ip';
import { formatProblem } from '../../lib/model/problem';
import { fieldAt } from '../../lib/model/schema';
import { valuesSchema } from '../../lib/model/values';
import { MANAGED_ENV_FIELDS } from '../../lib/kube-vip/env';
import { containerOf, envOf, synthValues, synthWith } from '../support/synth';

const base: KubeVipValuesInput = {
  controlPlane: { enabled: true, address: '192.168.0.100' },
  services: { enabled: true },
  cluster: {
    apiServerAddresses: ['192.168.0.11'],
    nodeAddresses: ['192.168.0.11/24', '192.168.0.21/24'],
    podCIDRs: ['10.244.0.0/16'],
    serviceCIDRs: ['10.96.0.0/12'],
  },
};

/** Every problem of a config, as "rule @ path" strings; [] when it is valid. */
function problemsOf(...values: unknown[]): string[] {
  try {
    checkValues(base, ...values);
    return [];
  } catch (e) {
    if (!(e instanceof KubeVipConfigError)) throw e;
    return e.problems.map((p) => `${p.rule} @ ${p.path}`);
  }
}

/** The warnings of a valid config, as "rule @ path" strings. */
function warningsOf(...values: unknown[]): string[] {
  return checkValues(base, ...values).warnings.map((p) => `${p.rule} @ ${p.path}`);
}

function messageOf(...values: unknown[]): string {
  try {
    checkValues(base, ...values);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('config was accepted');
}

describe('the base config', () => {
  it('is valid, so each case below changes exactly one thing', () => expect(problemsOf()).toEqual([]));
});

describe('P1-P3: features that need the iptables image, per kube-vip release (test/kube-vip)', () => {
  const masquerade = { controlPlane: { loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } } };
  const portSecurity = { services: { onlyAllowTrafficServicePorts: true } };
  const egress = { egress: { enabled: true } };
  const standard = (tag: string) => ({ image: { variant: 'standard', tag } });

  it('refuses masquerade with the standard image before v1.2.2, saying what kube-vip then does and the fix', () => {
    expect(problemsOf(masquerade, standard('v1.2.1'))).toEqual(['P1-masquerade-image @ controlPlane.loadBalancer.forwardingMethod']);
    const message = messageOf(masquerade, standard('v1.2.1'));
    expect(message).toContain('needs the kube-vip-iptables image on v1.2.1');
    expect(message).toContain('cannot add the VIP ("iptables" not in $PATH) and exits');
    expect(message).toContain('set image.variant to auto or iptables');
  });
  it('accepts masquerade with the standard image from v1.2.2 (in-process nftables), warning that the node needs nat/POSTROUTING', () => {
    expect(problemsOf(masquerade, standard('v1.2.2'))).toEqual([]);
    expect(warningsOf(masquerade, standard('v1.2.2'))).toEqual(['P1-masquerade-nat-chain @ controlPlane.loadBalancer.forwardingMethod']);
    expect(warningsOf(masquerade, standard('v1.2.1'), { image: { variant: 'auto' } })).toEqual([]);
  });
  it("refuses port security with the standard image on every release: the toolkit's output keeps it off the nftables path", () => {
    for (const tag of ['v1.2.1', 'v1.2.2', 'v1.3.0']) {
      expect(problemsOf(portSecurity, standard(tag))).toEqual(['P2-port-security-image @ services.onlyAllowTrafficServicePorts']);
    }
    expect(messageOf(portSecurity, standard('v1.2.2'))).toContain('serves the Service with no port filtering');
  });
  it('refuses egress with the standard image where it runs the iptables binaries: before v1.2.2, the iptables backend, port security', () => {
    expect(problemsOf(egress, standard('v1.2.1'))).toEqual(['P3-egress-image @ egress.enabled']);
    expect(problemsOf(egress, { egress: { backend: 'iptables' } }, standard('v1.2.2'))).toEqual(['P3-egress-image @ egress.enabled']);
    expect(problemsOf(egress, portSecurity, standard('v1.2.2'))).toEqual([
      'P2-port-security-image @ services.onlyAllowTrafficServicePorts',
      'P3-egress-image @ egress.enabled',
    ]);
    expect(messageOf(egress, standard('v1.2.1'))).toContain('writes no SNAT rule');
  });
  it("accepts egress with the standard image on v1.2.2's nftables backend", () => {
    expect(problemsOf(egress, standard('v1.2.2'))).toEqual([]);
    expect(problemsOf(egress, standard('v1.10.0'))).toEqual([]);
  });
  it('accepts all three with auto or iptables, on every release', () => {
    const all = [masquerade, portSecurity, egress];
    for (const tag of ['v1.2.1', 'v1.2.2']) {
      expect(problemsOf(...all, { image: { tag } })).toEqual([]);
      expect(problemsOf(...all, { image: { variant: 'iptables', tag } })).toEqual([]);
    }
  });
  it('accepts the standard image for the other forwarding methods (bypass forwards nothing: lb-forwarding-bypass)', () => {
    for (const method of ['local', 'tunnel', 'directroute']) {
      expect(
        problemsOf({
          controlPlane: { loadBalancer: { enabled: true, forwardingMethod: method } },
          image: { variant: 'standard', tag: 'v1.2.1' },
        }),
      ).toEqual([]);
    }
  });
});

describe('auto: the image the release really needs', () => {
  const imageOf = (...values: unknown[]) => {
    const { cluster } = synthValues(base, ...values);
    return containerOf(cluster.find((o) => o.kind === 'DaemonSet')!).image;
  };
  it("is the standard image for egress on v1.2.2's nftables backend, the iptables image before", () => {
    expect(imageOf({ egress: { enabled: true }, image: { tag: 'v1.2.2' } })).toBe('ghcr.io/kube-vip/kube-vip:v1.2.2');
    expect(imageOf({ egress: { enabled: true }, image: { tag: 'v1.2.1' } })).toBe('ghcr.io/kube-vip/kube-vip-iptables:v1.2.1');
    expect(imageOf({ egress: { enabled: true, backend: 'iptables' }, image: { tag: 'v1.2.2' } })).toBe(
      'ghcr.io/kube-vip/kube-vip-iptables:v1.2.2',
    );
  });
  it('is the standard image for masquerade from v1.2.2', () => {
    const masquerade = { controlPlane: { loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } } };
    expect(imageOf(masquerade, { image: { tag: 'v1.2.2' } })).toBe('ghcr.io/kube-vip/kube-vip:v1.2.2');
    expect(imageOf(masquerade, { image: { tag: 'v1.2.1' } })).toBe('ghcr.io/kube-vip/kube-vip-iptables:v1.2.1');
  });
});

describe('env vars a release does not read (ENV_SINCE)', () => {
  const envNames = (...values: unknown[]) => Object.keys(envOf(synthValues(base, ...values).cluster.find((o) => o.kind === 'DaemonSet')!));
  it('are not written for that release', () => {
    expect(envNames({ image: { tag: 'v1.2.2' } })).toContain('instance_name');
    expect(envNames({ image: { tag: 'v1.2.1' } })).not.toContain('instance_name');
    expect(envNames({ egress: { enabled: true }, image: { tag: 'v1.0.0' } })).toContain('egress_clean');
    expect(envNames({ egress: { enabled: true }, image: { tag: 'v0.9.2' } })).not.toContain('egress_clean');
  });
  it('are refused in extraEnv, with the release that reads them', () => {
    expect(problemsOf({ extraEnv: [{ name: 'debounce_time', value: '3' }], image: { tag: 'v1.2.1' } })).toEqual([
      'env-not-read-by-release @ extraEnv[0].name',
    ]);
    expect(messageOf({ extraEnv: [{ name: 'debounce_time', value: '3' }], image: { tag: 'v1.2.1' } })).toContain(
      'is read by kube-vip v1.2.2 and newer only; v1.2.1 ignores it and runs as if it were not set; run kube-vip v1.2.2 or newer (image.tag), or remove it',
    );
    expect(problemsOf({ extraEnv: [{ name: 'debounce_time', value: '3' }], image: { tag: 'v1.2.2' } })).toEqual([]);
  });
  it('judge a tag that is not a release as the default release, and say so', () => {
    expect(warningsOf({ image: { tag: 'latest' } })).toEqual(['release-unknown @ image.tag']);
    expect(problemsOf({ extraEnv: [{ name: 'debounce_time', value: '3' }], image: { tag: 'latest' } })).toEqual([]);
  });
  it('warn about a release newer or older than any the suite runs, and only then', () => {
    for (const tag of ['v1.2.4', 'v1.3.0', '2.0.0', 'v1.2.0', 'v0.9.2', 'v0.8.0'])
      expect(warningsOf({ image: { tag } })).toEqual(['release-untested @ image.tag']);
    for (const tag of ['v1.2.3', 'v1.2.2', 'v1.2.1']) expect(warningsOf({ image: { tag } })).toEqual([]);
    // A tag that is no version is judged as the default release, which the suite runs.
    expect(warningsOf({ image: { tag: 'latest' } })).toEqual(['release-unknown @ image.tag']);
  });
});

describe("P3: egress on kube-vip's iptables path leaves SNAT rules behind (test/kube-vip/egress.test.ts)", () => {
  const egress = { egress: { enabled: true } };
  it('is warned where it runs: before v1.2.2, the iptables backend, or with port security', () => {
    const rule = 'P3-egress-rules-left-behind @ egress.enabled';
    expect(warningsOf(egress, { image: { tag: 'v1.2.2' } })).toEqual([]);
    expect(warningsOf(egress, { image: { tag: 'v1.2.1' } })).toEqual([rule]);
    expect(warningsOf(egress, { egress: { backend: 'iptables' }, image: { tag: 'v1.2.2' } })).toEqual([rule]);
    expect(warningsOf(egress, { services: { onlyAllowTrafficServicePorts: true }, egress: { backend: 'iptables' } })).toEqual([rule]);
  });
});

describe('P3: egress', () => {
  it('needs services, per-Service election and CIDRs', () => {
    expect(problemsOf({ egress: { enabled: true }, services: { election: false } })).toEqual([
      'P3-egress-needs-election @ services.election',
    ]);
    expect(problemsOf({ egress: { enabled: true }, services: { enabled: false } })).toEqual(['P3-egress-needs-services @ egress.enabled']);
    expect(problemsOf({ egress: { enabled: true }, cluster: { podCIDRs: [], serviceCIDRs: [] } })).toEqual([
      'P3-egress-cidrs @ egress.podCIDR',
      'P3-egress-cidrs @ egress.serviceCIDR',
    ]);
  });
  it('takes the CIDRs from the cluster facts when not given', () => {
    expect(
      problemsOf({
        egress: { enabled: true, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' },
        cluster: { podCIDRs: [], serviceCIDRs: [] },
      }),
    ).toEqual([]);
  });
});

describe('address classes no node can announce', () => {
  // The cluster's facts are left out here: only the class rule speaks, not P4's family and subnet rules.
  const bare = (values: KubeVipValuesInput) =>
    problemsOf({ cluster: { apiServerAddresses: [], nodeAddresses: [], podCIDRs: [], serviceCIDRs: [] } }, values);
  it.each([
    ['0.0.0.0', '"this network"'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.18', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'limited broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:192.168.0.11', 'IPv4-mapped IPv6'],
    ['fe80::1', 'link-local'],
    ['ff02::12', 'multicast'],
  ])('refuses the VIP %s (%s), and the same in a pool', (address, name) => {
    expect(bare({ controlPlane: { address } })).toContain('address-class @ controlPlane.address');
    const pool = address.includes(':') ? `${address}/128` : `${address}/32`;
    expect(bare({ ipam: { enabled: true, global: { cidrs: [pool] } } })).toContain('address-class @ ipam.global.cidrs[0]');
    expect(messageOf({ controlPlane: { address } })).toContain(`the ${name} block`);
  });
  it('says which IPv4 address a mapped one means: the one P4 must compare', () => {
    expect(messageOf({ controlPlane: { address: '::ffff:192.168.0.11' } })).toContain('write the IPv4 address 192.168.0.11 instead');
    expect(messageOf({ ipam: { enabled: true, global: { cidrs: ['::ffff:10.0.0.0/120'] } } })).toContain(
      'write the IPv4 addresses (10.0.0.0-10.0.0.255 and no more) instead',
    );
  });
  it('finds a class inside a wide pool or range', () => {
    expect(bare({ ipam: { enabled: true, global: { ranges: ['126.255.255.250-128.0.0.5'] } } })).toContain(
      'address-class @ ipam.global.ranges[0]',
    );
    expect(bare({ ipam: { enabled: true, global: { cidrs: ['0.0.0.0/0'] } } }).filter((p) => p.startsWith('address-class')).length).toBe(6);
  });
  it('agrees on every IPv4 address with a model written from the RFCs, octet by octet', () => {
    const unannounceable = ([a, b]: number[], _text: string) => a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224; // multicast 224-239, reserved 240-255 with the broadcast
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), (octets) => {
        const text = octets.join('.');
        expect(unannounceableIn(parseIp(text)!).length > 0).toBe(unannounceable(octets, text));
      }),
      { numRuns: 3000 },
    );
    // The edges of each block.
    for (const text of [
      '0.255.255.255',
      '1.0.0.0',
      '126.255.255.255',
      '128.0.0.0',
      '169.253.255.255',
      '169.255.0.0',
      '223.255.255.255',
      '240.0.0.0',
      '255.255.255.254',
    ]) {
      expect([text, unannounceableIn(parseIp(text)!).length > 0]).toEqual([text, unannounceable(text.split('.').map(Number), text)]);
    }
  });
});

describe('P4: announced addresses', () => {
  it.each([
    [
      'the VIP is an API server address',
      { controlPlane: { address: '192.168.0.11' } },
      ['P4-announced-address-in-use @ controlPlane.address', 'P4-announced-address-in-use @ controlPlane.address'],
    ],
    ['the VIP is a node address', { controlPlane: { address: '192.168.0.21' } }, ['P4-announced-address-in-use @ controlPlane.address']],
    [
      'the VIP is in the pod CIDR',
      { controlPlane: { address: '10.244.3.4' } },
      ['P4-announced-address-in-cluster-network @ controlPlane.address'],
    ],
    [
      'the VIP is in the Service CIDR',
      { controlPlane: { address: '10.96.0.1' } },
      ['P4-announced-address-in-cluster-network @ controlPlane.address'],
    ],
    [
      'the VIP is the node subnet zero address',
      { controlPlane: { address: '192.168.0.0' } },
      ['P4-subnet-zero-address @ controlPlane.address'],
    ],
    [
      'the VIP is the node subnet broadcast address',
      { controlPlane: { address: '192.168.0.255' } },
      ['P4-subnet-zero-address @ controlPlane.address'],
    ],
    ['the VIP is IPv6 in an IPv4 cluster', { controlPlane: { address: 'fd00::10' } }, ['P4-address-family @ controlPlane.address']],
    [
      'a pool contains the API server',
      { ipam: { enabled: true, global: { cidrs: ['192.168.0.0/28'] } } },
      [
        'P4-announced-address-in-use @ ipam.global.cidrs[0]',
        'P4-announced-address-in-use @ ipam.global.cidrs[0]',
        'P4-subnet-zero-address @ ipam.global.cidrs[0]',
      ],
    ],
    [
      'a pool overlaps the Service CIDR',
      { ipam: { enabled: true, global: { ranges: ['10.96.0.10-10.96.0.20'] } } },
      ['P4-announced-address-in-cluster-network @ ipam.global.ranges[0]'],
    ],
    [
      'a pool contains the VIP',
      { ipam: { enabled: true, global: { ranges: ['192.168.0.100-192.168.0.110'] } } },
      ['P4-announced-addresses-overlap @ ipam.global.ranges[0]'],
    ],
    [
      'two pools overlap',
      {
        ipam: {
          enabled: true,
          global: { ranges: ['192.168.0.200-192.168.0.210'] },
          namespaces: { team: { ranges: ['192.168.0.205-192.168.0.220'] } },
        },
      },
      ['P4-announced-addresses-overlap @ ipam.namespaces.team.ranges[0]'],
    ],
    [
      'a CIDR pool would hand out its zero address',
      { ipam: { enabled: true, skipEndIPsInCIDR: false, global: { cidrs: ['172.16.0.0/28'] } } },
      ['P4-subnet-zero-address @ ipam.skipEndIPsInCIDR'],
    ],
  ])('refuses: %s', (_, values, expected) => {
    expect(problemsOf(values).sort()).toEqual([...expected].sort());
  });

  it('accepts a clean pool', () => {
    // Global ranges and a namespace's CIDRs: each is the first pool for some Services.
    expect(
      problemsOf({
        ipam: { enabled: true, global: { ranges: ['192.168.0.200-192.168.0.220'] }, namespaces: { team: { cidrs: ['172.16.0.0/28'] } } },
      }),
    ).toEqual([]);
  });

  it('names the network a CIDR with host bits probably meant', () => {
    expect(messageOf({ cluster: { podCIDRs: ['10.244.1.0/16'] } })).toContain('write the network address: 10.244.0.0/16');
  });

  describe('kube-router', () => {
    const kubeRouter = (facts: object) => ({ cluster: { kubeRouter: { enabled: true, version: 'v2.5.0', ...facts } } });
    it('refuses pools outside its loadbalancer-ip-range', () => {
      expect(
        problemsOf(kubeRouter({ loadBalancerIPRanges: ['192.168.0.192/27'] }), {
          ipam: { enabled: true, global: { ranges: ['192.168.0.150-192.168.0.160'] } },
        }),
      ).toEqual(['P4-kube-router-lb-range @ ipam.global.ranges[0]']);
    });
    it('refuses an IPVS VIP missing from its excluded CIDRs', () => {
      expect(problemsOf(kubeRouter({}), { controlPlane: { loadBalancer: { enabled: true } } })).toEqual([
        'P4-kube-router-excluded-cidrs @ controlPlane.address',
      ]);
      expect(
        problemsOf(kubeRouter({ excludedCIDRs: ['192.168.0.100/32'] }), { controlPlane: { loadBalancer: { enabled: true } } }),
      ).toEqual([]);
    });
    it('refuses two speakers for LoadBalancer addresses', () => {
      expect(problemsOf(kubeRouter({ advertiseLoadBalancerIP: true }))).toEqual([
        'P4-kube-router-double-announce @ cluster.kubeRouter.advertiseLoadBalancerIP',
      ]);
    });
    it('refuses kube-router < v2.2.0 with IPv6 addresses (issue 1685) and only warns on IPv4', () => {
      const dual = { controlPlane: { address: '192.168.0.100,fd00::100' }, cluster: { nodeAddresses: ['192.168.0.11/24', 'fd00::11/64'] } };
      expect(problemsOf(kubeRouter({ version: 'v2.1.2' }), dual)).toEqual(['P4-kube-router-version @ cluster.kubeRouter.version']);
      expect(checkValues(base, kubeRouter({ version: 'v2.1.2' })).warnings.map((w) => w.rule)).toEqual(['P4-kube-router-version']);
    });
  });
});

describe('P5: static pod kubeconfig', () => {
  it('refuses superAdmin outside a static pod', () => {
    expect(problemsOf({ controlPlane: { kubeconfig: 'superAdmin' } })).toEqual(['P5-kubeconfig-static-pod-only @ controlPlane.kubeconfig']);
    expect(problemsOf({ controlPlane: { kubeconfig: 'superAdmin', deployment: 'staticPod' } })).toEqual([]);
  });
});

describe('P2: port security takes the iptables path', () => {
  const egress = { enabled: true, podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };
  it('warns that egress on nftables is overridden, and says nothing for egress on iptables', () => {
    expect(
      checkValues(base, { services: { onlyAllowTrafficServicePorts: true }, egress }).warnings.map((w) => `${w.rule} @ ${w.path}`),
    ).toContain('P2-port-security-nftables @ egress.backend');
    expect(
      checkValues(base, { services: { onlyAllowTrafficServicePorts: true }, egress: { ...egress, backend: 'iptables' } }).warnings.map(
        (w) => w.rule,
      ),
    ).not.toContain('P2-port-security-nftables');
  });
});

describe('other rules', () => {
  it.each([
    ['nothing enabled', { controlPlane: { enabled: false }, services: { enabled: false } }, ['feature-none @ controlPlane.enabled']],
    ['no VIP', { controlPlane: { address: '' } }, ['control-plane-address @ controlPlane.address']],
    [
      'a namespace range behind its own CIDRs',
      { ipam: { enabled: true, namespaces: { team: { cidrs: ['192.168.0.224/28'], ranges: ['192.168.0.240-192.168.0.241'] } } } },
      ['ipam-pool-shadowed @ ipam.namespaces.team.ranges'],
    ],
    [
      'ARP without leader election',
      { controlPlane: { leaderElection: { enabled: false } } },
      ['arp-needs-leader-election @ controlPlane.leaderElection.enabled'],
    ],
    [
      'lease timings out of order',
      { controlPlane: { leaderElection: { leaseDurationSeconds: 10, renewDeadlineSeconds: 10, retryPeriodSeconds: 10 } } },
      ['lease-timing @ controlPlane.leaderElection.renewDeadlineSeconds', 'lease-timing @ controlPlane.leaderElection.retryPeriodSeconds'],
    ],
    ['metrics on the kubelet port', { metrics: { port: 10250 } }, ['port-collision @ metrics.port']],
    ['metrics on the API server port', { metrics: { port: 6443 } }, ['port-collision @ metrics.port']],
    [
      'static pod and DaemonSet on one metrics port',
      { controlPlane: { deployment: 'staticPod' }, metrics: { port: 2200, servicesPort: 2200 } },
      ['port-collision @ metrics.servicesPort'],
    ],
    [
      'BGP without router ID or peers',
      { announce: { mode: 'bgp' } },
      ['bgp-router-id @ announce.bgp.routerID', 'bgp-peers @ announce.bgp.peers'],
    ],
    [
      'BGP router ID not IPv4',
      { announce: { mode: 'bgp', bgp: { routerID: 'fd00::1', peers: [{ address: '192.168.0.1', as: 65001 }] } } },
      ['bgp-router-id @ announce.bgp.routerID'],
    ],
    [
      'BGP password on a static pod',
      {
        controlPlane: { deployment: 'staticPod' },
        announce: {
          mode: 'bgp',
          bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 65001, password: { name: 's', key: 'k' } }] },
        },
      },
      ['bgp-password-static-pod @ announce.bgp.peers[0].password'],
    ],
    [
      'extraEnv overriding a managed variable',
      { extraEnv: [{ name: 'vip_arp', value: 'false' }] },
      ['extra-env-managed @ extraEnv[0].name'],
    ],
    ['a DNS name as VIP', { controlPlane: { address: 'vip.example.com' } }, ['schema-pattern @ controlPlane.address']],
  ])('refuses: %s', (_, values, expected) => {
    expect(problemsOf(values)).toEqual(expected);
  });

  it('names, for every variable the model sets, the field to set instead of extraEnv', () => {
    for (const [name, field] of MANAGED_ENV_FIELDS) {
      for (const path of field ? field.split(' or ') : []) expect([name, fieldAt(valuesSchema, path)?.kind]).not.toEqual([name, undefined]);
    }
    expect(MANAGED_ENV_FIELDS.get('health_check_port')).toBe('health.enabled');
    const fixOf = (name: string) => {
      try {
        checkValues({ extraEnv: [{ name, value: 'x' }] });
      } catch (error) {
        return (error as KubeVipConfigError).problems.map((p) => `${p.rule}: ${p.fix}`);
      }
      return [];
    };
    expect(fixOf('health_check_port')).toEqual(['extra-env-managed: set health.enabled instead of extraEnv']);
    expect(fixOf('vip_nodename')).toEqual(['extra-env-managed: remove it']);
  });

  it('accepts BGP on a static pod without passwords', () => {
    expect(
      problemsOf({
        controlPlane: { deployment: 'staticPod' },
        announce: { mode: 'bgp', bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 65001 }] } },
      }),
    ).toEqual([]);
  });
});

describe('type checks of values files', () => {
  it.each([
    [{ controlPlane: { enabeld: true } }, 'schema-unknown-key @ controlPlane.enabeld'],
    [{ controlPlane: { port: '6443' } }, 'schema-type @ controlPlane.port'],
    [{ controlPlane: { port: 70000 } }, 'schema-range @ controlPlane.port'],
    [{ announce: { mode: 'ospf' } }, 'schema-enum @ announce.mode'],
    [{ image: { tag: 'v1.2.3 beta' } }, 'schema-pattern @ image.tag'],
    [{ interface: 'a-very-long-interface-name' }, 'schema-pattern @ interface'],
    [{ announce: { bgp: { peers: [{ address: '10.0.0.1' }] } } }, 'schema-required @ announce.bgp.peers[0].as'],
    [{ extraEnv: { name: 'x' } }, 'schema-type @ extraEnv'],
  ])('%j is refused', (values, expected) => {
    expect(problemsOf(values)).toEqual([expected]);
  });
});

describe('errors', () => {
  it('are all reported at once, each with path, value, reason and fix', () => {
    const message = messageOf({
      controlPlane: {
        address: '10.96.0.1',
        loadBalancer: { enabled: true, forwardingMethod: 'masquerade' },
        leaderElection: { retryPeriodSeconds: 12 },
      },
      image: { variant: 'standard', tag: 'v1.2.1' },
      metrics: { port: 10250 },
    });
    expect(message).toMatch(/\(4 problems\)/);
    expect(message).toContain('controlPlane.loadBalancer.forwardingMethod: "masquerade" needs the kube-vip-iptables image');
    expect(message).toContain('controlPlane.address: "10.96.0.1" overlaps the Service CIDR 10.96.0.0/12');
    expect(message).toContain('metrics.port: 10250 is already used by kubelet');
    expect(message).toContain('controlPlane.leaderElection.retryPeriodSeconds: 12 is not below renewDeadlineSeconds');
  });
});

describe('lease timings: a leader cut off from the API server must step down before another node takes the VIP (test/kube-vip/faults.test.ts)', () => {
  const timings = (leaseDurationSeconds: number, renewDeadlineSeconds: number, retryPeriodSeconds: number) => ({
    controlPlane: { leaderElection: { leaseDurationSeconds, renewDeadlineSeconds, retryPeriodSeconds } },
  });
  const warned = (...values: unknown[]) => warningsOf(...values).filter((w) => w.startsWith('lease-two-holders @ '));

  it.each([
    ["kube-vip's defaults", 15, 10, 2],
    ["kube-vip's documentation", 5, 3, 1],
    ['a lease exactly retry + 2 x renew', 5, 2, 1],
  ])('warns for %s (%i/%i/%i): the VIP can be on two nodes', (_, lease, renew, retry) => {
    expect(warned(timings(lease, renew, retry))).toEqual(['lease-two-holders @ controlPlane.leaderElection.leaseDurationSeconds']);
  });

  it.each([
    ['ours', 6, 2, 1],
    ['a longer lease', 30, 10, 2],
  ])('accepts %s (%i/%i/%i) silently', (_, lease, renew, retry) => {
    expect(warned(timings(lease, renew, retry))).toEqual([]);
  });

  it('is not checked without leader election (BGP from every node)', () => {
    const bgp = { announce: { mode: 'bgp', bgp: { routerID: '192.168.0.11', peers: [{ address: '192.168.0.1', as: 65001 }] } } };
    expect(warned(bgp, timings(15, 10, 2), { controlPlane: { leaderElection: { enabled: false } } })).toEqual([]);
  });

  it('names both timings in its message, with their values', () => {
    const warning = checkValues(base, timings(15, 10, 2)).warnings.find((w) => w.rule === 'lease-two-holders')!;
    expect(formatProblem(warning)).toContain(
      'leaseDurationSeconds: 15 is not above retryPeriodSeconds (2) + 2 x renewDeadlineSeconds (10)',
    );
  });
});

describe('dual-stack egress CIDRs: every route accepts and refuses the same strings', () => {
  const egressGateway = (podCIDR: string) =>
    synthWith((chart) => {
      const kubeVip = new KubeVip(chart, 'kv', { image: KubeVipImage.iptables(), announce: Announcement.arp() });
      new EgressGateway(new KubeVipServicesLB(kubeVip, 'svc', { election: true }), 'egress', { podCIDR, serviceCIDR: '10.96.0.0/12' });
    });
  it.each([
    ['10.244.0.0/16', true],
    ['10.244.0.0/16,fd00:10:244::/56', true],
    ['fd00:10:244::/56,10.244.0.0/16', true],
    ['10.244.0.0/16, fd00:10:244::/56', false],
    ['10.244.0.0/16,fd00:10:244::/56,10.245.0.0/16', false],
    ['10.0.0.0/33', false],
  ])('%s: accepted %s', (podCIDR, accepted) => {
    const values = { egress: { enabled: true, podCIDR, serviceCIDR: '10.96.0.0/12' } };
    expect(problemsOf(values).length === 0).toBe(accepted);
    const constructs = (() => {
      try {
        egressGateway(podCIDR);
        return true;
      } catch {
        return false;
      }
    })();
    expect(constructs).toBe(accepted);
    if (accepted) expect(envOf(synthValues(base, values).cluster.find((o) => o.kind === 'DaemonSet')!).egress_podcidr).toBe(podCIDR);
  });
});

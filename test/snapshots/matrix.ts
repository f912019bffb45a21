import { KubeVipConfigError } from '../../lib';
import { matrixCases, TOPOLOGIES } from '../support/matrix';
import { synthValues } from '../support/synth';

/**
 * Whole-output snapshots for every combination the model accepts, one test file (and one
 * snapshot file) per topology so that a change can be reviewed. A combination the model
 * refuses must be refused for a reason we expect; any other failure fails the test.
 */
const EXPECTED_REFUSALS: { when: RegExp; rules: string[] }[] = [
  // Egress belongs to Services; a control-plane-only deployment has none.
  { when: /^controlPlaneOnly\/.*\/egress-(kubeSystem|otherNamespace)$/, rules: ['P3-egress-needs-services'] },
  // The kubelet resolves no Secrets for static pods, and the bgp fixture's first peer has a password.
  { when: /^staticPodAndServices\/bgp\//, rules: ['bgp-password-static-pod'] },
  // IPVS bypass forwards nothing (test/kube-vip/ipvs.test.ts); without a control plane there is no load balancer.
  { when: /^(?!servicesOnly\/).*\/lb-bypass\//, rules: ['lb-forwarding-bypass'] },
];

export function snapshotMatrix(topology: keyof typeof TOPOLOGIES): void {
  describe(`snapshot matrix: ${topology}`, () => {
    const cases = matrixCases().filter((c) => c.name.startsWith(`${topology}/`));

    it('covers 3 announcements x 6 load balancer settings x 2 x 3', () => {
      expect(cases).toHaveLength(3 * 6 * 2 * 3);
    });

    it.each(cases.map((c) => [c.name, c.values] as const))('%s', (name, values) => {
      const refusals = EXPECTED_REFUSALS.filter((r) => r.when.test(name));
      if (refusals.length === 0) {
        expect(synthValues(values)).toMatchSnapshot();
        return;
      }
      let error: unknown;
      try {
        synthValues(values);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KubeVipConfigError);
      const rules = new Set((error as KubeVipConfigError).problems.map((p) => p.rule));
      expect([...rules].sort()).toEqual([...new Set(refusals.flatMap((r) => r.rules))].sort());
    });
  });
}

import { stringify } from 'yaml';
import { synthValues } from '../support/synth';
import { describeWithTools } from '../support/tools';
import { useApiServer } from './support/apiserver';
import { KubeObject } from './support/kube';
import { enforcing, namespaceObject } from './support/pod-security';
import { podOfDaemonSet } from './support/pods';

/**
 * A hardened cluster: Pod Security enforces baseline wherever a namespace has no label of its
 * own, with kube-system exempt (as some distributions ship it). So "unlabelled" does not mean
 * "privileged", and only an explicit label on kube-vip's namespace decides for sure.
 */
const ADMISSION_CONFIG = {
  apiVersion: 'apiserver.config.k8s.io/v1',
  kind: 'AdmissionConfiguration',
  plugins: [
    {
      name: 'PodSecurity',
      configuration: {
        apiVersion: 'pod-security.admission.config.k8s.io/v1',
        kind: 'PodSecurityConfiguration',
        defaults: { enforce: 'baseline', 'enforce-version': 'latest' },
        exemptions: { usernames: [], runtimeClasses: [], namespaces: ['kube-system'] },
      },
    },
  ],
};

function kubeVipPod(namespace: string): KubeObject {
  const values = { namespace, controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: true } };
  return podOfDaemonSet(synthValues(values).cluster.find((o) => o.kind === 'DaemonSet')!).pod();
}

const describeE2e = describeWithTools(['kube-apiserver-test']);

describeE2e('Pod Security with a cluster-wide default of baseline', () => {
  const server = useApiServer({
    files: { 'admission.yaml': stringify(ADMISSION_CONFIG) },
    extraArgs: (dir) => [`--admission-control-config-file=${dir}/admission.yaml`],
  });

  const admit = async (namespace: string, labels?: Record<string, string>) => {
    const kube = server().admin;
    if (labels) await kube.apply(namespaceObject(namespace, labels));
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-vip', namespace } });
    return kube.create(kubeVipPod(namespace), { dryRun: true });
  };

  it('refuses kube-vip in an unlabelled namespace', async () => {
    await expect(admit('unlabelled', {})).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('violates PodSecurity "baseline:latest": non-default capabilities'),
    });
  });

  it('admits it where the namespace says privileged', async () => {
    await expect(admit('labelled', enforcing('privileged'))).resolves.toMatchObject({ status: 201 });
  });

  it('admits it in an exempt namespace (kube-system here)', async () => {
    await expect(admit('kube-system')).resolves.toMatchObject({ status: 201 });
  });
});

import { KubeVipRelease, toolPath } from '../../support/tools';
import { KubeObject } from '../../e2e/support/kube';
import { ClusterOptions, TestCluster } from './cluster';

/**
 * One TestCluster for the enclosing describe block: started in beforeAll, destroyed in
 * afterAll (also when tests fail). Returns a getter, as useApiServer does.
 */
export function useTestCluster(options: ClusterOptions): () => TestCluster {
  let cluster: TestCluster | undefined;
  let starting: Promise<TestCluster> | undefined;
  beforeAll(async () => {
    starting = TestCluster.start(options);
    cluster = await starting;
  }, 120_000);
  afterAll(async () => {
    // Also when beforeAll timed out while the start was still under way.
    const started = cluster ?? (await starting?.catch(() => undefined));
    await started?.destroy();
  }, 60_000);
  return () => {
    if (!cluster) throw new Error('the test cluster is not running (its beforeAll failed or has not run)');
    return cluster;
  };
}

/** The kube-vip binary of a release, as test/tools/install.sh built it. */
export function kubeVipBinary(release: KubeVipRelease): string {
  const path = toolPath(`kube-vip-${release}`);
  if (!path) throw new Error(`kube-vip ${release} is not built: run test/tools/install.sh kube-vip`);
  return path;
}

/** The kube-vip-cloud-provider binary (v0.0.12), as test/tools/install.sh built it. */
export function cloudProviderBinary(): string {
  const path = toolPath('kube-vip-cloud-provider-v0.0.12');
  if (!path) throw new Error('kube-vip-cloud-provider is not built: run test/tools/install.sh cloud-provider');
  return path;
}

/** A LoadBalancer Service with one HTTP port, of a class when given. */
export function loadBalancerService(name: string, namespace: string, loadBalancerClass?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      type: 'LoadBalancer',
      ...(loadBalancerClass ? { loadBalancerClass } : {}),
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      selector: { app: name },
    },
  };
}

/** The address kube-vip-cloud-provider wrote into kube-vip's annotation, once it has. */
export async function assignedAddress(c: TestCluster, namespace: string, name: string): Promise<string | undefined> {
  const svc = (await c.admin.get({ apiVersion: 'v1', kind: 'Service', namespace, name })).body as any;
  return svc.metadata.annotations?.['kube-vip.io/loadbalancerIPs'];
}

import { KubeVipRelease, toolPath } from '../../support/tools';
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

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { synthValues } from '../support/synth';
import { cli, containerOf, ensureCompiled, envOf, findObject, yamlDocs } from './support/cli';
import { IMAGES } from '../../lib/kube-vip/defaults';

beforeAll(ensureCompiled);

const dir = mkdtempSync(join(tmpdir(), 'cli-synth-'));
function valuesFile(name: string, values: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof values === 'string' ? values : stringify(values));
  return path;
}

const base = { controlPlane: { enabled: true, address: '192.168.0.100' }, services: { enabled: true } };

describe('synth', () => {
  it('writes what the library synthesises from the same values', () => {
    const { code, stdout, stderr } = cli(['synth', '-f', valuesFile('base.yaml', base)]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(yamlDocs(stdout)).toEqual(synthValues(base).cluster);
  });

  it('reads YAML 1.1 timestamps as strings, as Helm does, not as empty maps', () => {
    const file = join(dir, 'timestamp.yaml');
    writeFileSync(file, 'controlPlane: {enabled: true, address: 192.168.0.100}\npod: {annotations: {since: 2001-12-14}}\n');
    const { code, stdout } = cli(['synth', '-f', file]);
    expect(code).toBe(0);
    expect(findObject(yamlDocs(stdout), 'DaemonSet').spec.template.metadata.annotations.since).toBe('2001-12-14');
  });
  it('reads base-60 numbers as strings too: an unquoted full IPv6 address stays an address', () => {
    const file = join(dir, 'sexagesimal.yaml');
    writeFileSync(file, 'controlPlane: {enabled: true, address: 2001:10:20:30:40:50:1:2}\n');
    const { code, stdout, stderr } = cli(['synth', '-f', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(envOf(findObject(yamlDocs(stdout), 'DaemonSet')).address).toBe('2001:10:20:30:40:50:1:2');
  });
  it('takes brackets in a block scalar as text', () => {
    const file = join(dir, 'block.yaml');
    writeFileSync(file, `extraEnv:\n  - name: vip_loglevel\n    value: |\n      ${'['.repeat(100)}\n`);
    expect(cli(['synth', '-f', file]).code).toBe(0);
  });
  it('merges files left to right and lets --set win, as Helm does', () => {
    const first = valuesFile('first.yaml', {
      ...base,
      controlPlane: { ...base.controlPlane, port: 7443 },
      cluster: { podCIDRs: ['10.244.0.0/16'] },
    });
    const second = valuesFile('second.yaml', { controlPlane: { address: '192.168.0.101' }, cluster: { podCIDRs: ['10.245.0.0/16'] } });
    const { stdout } = cli(['synth', '-f', first, '-f', second, '--set', 'controlPlane.address=192.168.0.102,interface=eth1']);
    const expected = synthValues(base, {
      controlPlane: { port: 7443, address: '192.168.0.102' },
      interface: 'eth1',
      cluster: { podCIDRs: ['10.245.0.0/16'] },
    });
    expect(yamlDocs(stdout)).toEqual(expected.cluster);
    expect(envOf(findObject(yamlDocs(stdout), 'DaemonSet'))).toMatchObject({
      address: '192.168.0.102',
      port: '7443',
      vip_interface: 'eth1',
    });
  });

  it('types --set values as Helm does, and --set-string keeps strings; null is refused where Helm refuses it', () => {
    const path = valuesFile('typed.yaml', {
      ...base,
      controlPlane: { ...base.controlPlane, port: 7443 },
      scheduling: { nodeSelector: { 'example.com/a': '1' } },
    });
    const typed = cli(['synth', '-f', path, '--set', 'services.loadBalancerClass.only=true']);
    expect(envOf(findObject(yamlDocs(typed.stdout), 'DaemonSet'))).toMatchObject({ port: '7443', lb_class_only: 'true' });
    // Helm deletes a null setting with its default, and the chart's schema then misses it.
    const deleted = cli(['synth', '-f', path, '--set', 'controlPlane.port=null']);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('error [schema-type] --set: controlPlane.port: null deletes the setting and its default');
    // A null entry of a map has no default to delete: Helm's schema finds null where a string belongs.
    const label = cli(['synth', '-f', path, '--set', 'scheduling.nodeSelector.example\\.com/a=null']);
    expect(label.code).toBe(1);
    expect(label.stderr).toContain('error [schema-type] --set: scheduling.nodeSelector.example.com/a: null is null, not a string');
    const asString = cli(['synth', '-f', path, '--set-string', 'controlPlane.port=7000']);
    expect(asString.code).toBe(1);
    expect(asString.stderr).toContain('error [schema-type] --set: controlPlane.port: "7000" is a string, not a whole number');
  });

  it('sets list items with an index and lists with braces', () => {
    const { code, stdout } = cli([
      'synth',
      '-f',
      valuesFile('svc.yaml', { services: { enabled: true } }),
      '--set',
      'announce.mode=bgp,announce.bgp.routerID=192.168.0.11',
      '--set',
      'announce.bgp.peers[0].address=192.168.0.1,announce.bgp.peers[0].as=65001',
      '--set',
      'cluster.podCIDRs={10.244.0.0/16,fd00::/108}',
    ]);
    expect(code).toBe(0);
    expect(envOf(findObject(yamlDocs(stdout), 'DaemonSet')).bgp_peers).toBe('192.168.0.1:65001::false:179');
  });

  it('reads values from standard input with -f -', () => {
    const { code, stdout } = cli(['synth', '-f', '-'], { stdin: stringify(base) });
    expect(code).toBe(0);
    expect(yamlDocs(stdout)).toEqual(synthValues(base).cluster);
  });

  it('writes the same bytes to a directory as to standard output, one file per chart', () => {
    const values = valuesFile('static.yaml', { ...base, controlPlane: { ...base.controlPlane, deployment: 'staticPod' } });
    const out = join(dir, 'out');
    const written = cli(['synth', '-f', values, '-o', out]);
    expect(written.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['kube-vip-static-pod.k8s.yaml', 'kube-vip.k8s.yaml']);
    expect(cli(['synth', '-f', values, '--only', 'cluster']).stdout).toBe(readFileSync(join(out, 'kube-vip.k8s.yaml'), 'utf8'));
    // By default standard output is the kubectl apply part only, and stderr says where the static pod is.
    const plain = cli(['synth', '-f', values]);
    expect(plain.stdout).toBe(readFileSync(join(out, 'kube-vip.k8s.yaml'), 'utf8'));
    expect(yamlDocs(plain.stdout).map((o) => o.kind)).not.toContain('Pod');
    expect(plain.stderr).toContain(
      'note: the control-plane static pod is not on standard output, which is for kubectl apply; write it with --only static-pods',
    );
    expect(cli(['synth', '-f', values, '--only', 'cluster']).stderr).toBe('');
    const staticPod = cli(['synth', '-f', values, '--only', 'static-pods']).stdout;
    expect(staticPod).toBe(
      `# Static pod: copy it to /etc/kubernetes/manifests on the control-plane nodes; never kubectl apply it.\n${readFileSync(join(out, 'kube-vip-static-pod.k8s.yaml'), 'utf8')}`,
    );
    expect(yamlDocs(staticPod).map((o) => o.kind)).toEqual(['Pod']);
  });

  it('prints warnings on stderr and still writes', () => {
    const { code, stdout, stderr } = cli([
      'synth',
      '-f',
      valuesFile('warn.yaml', { services: { enabled: true }, controlPlane: { loadBalancer: { enabled: true } } }),
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'cdk8s-kube-vip synth: warning [load-balancer-without-control-plane] warn.yaml'.replace('warn.yaml', join(dir, 'warn.yaml')),
    );
    expect(containerOf(findObject(yamlDocs(stdout), 'DaemonSet')).image).toBe(`ghcr.io/kube-vip/kube-vip:${IMAGES.tag}`);
  });

  it('reports every problem at once, each with the file its value came from, and writes nothing', () => {
    const bad = valuesFile('bad.yaml', {
      controlPlane: { enabled: true, address: '10.96.0.1', loadBalancer: { enabled: true, forwardingMethod: 'masquerade' } },
      image: { variant: 'standard', tag: 'v1.2.1' },
    });
    const facts = valuesFile('facts.yaml', { cluster: { serviceCIDRs: ['10.96.0.0/12'] } });
    const { code, stdout, stderr } = cli(['synth', '-f', bad, '-f', facts]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `cdk8s-kube-vip synth: error [P1-masquerade-image] ${bad}: controlPlane.loadBalancer.forwardingMethod: "masquerade" needs the kube-vip-iptables image on v1.2.1 (IPVS masquerade forwarding writes its NAT rule with the iptables binaries before v1.2.2), but image.variant is standard, whose image has no iptables: kube-vip cannot add the VIP ("iptables" not in $PATH) and exits, again at every restart; set image.variant to auto or iptables`,
      `cdk8s-kube-vip synth: error [P4-announced-address-in-cluster-network] ${bad}: controlPlane.address: "10.96.0.1" overlaps the Service CIDR 10.96.0.0/12 (cluster.serviceCIDRs[0]); traffic to it would be routed into the cluster network; choose addresses outside 10.96.0.0/12`,
    ]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';

/**
 * The type-level rules (P1-P3) refuse with a compiler message that names the reason and the fix,
 * not "Type 'true' is not assignable to type 'false'". Each case is compiled on its own.
 */

// The cases are compiled in a scratch directory: imports are absolute.
const LIB = join(__dirname, '..', '..', 'lib');

const PRELUDE = `
import { App, Chart } from ${JSON.stringify(require.resolve('cdk8s'))};
import { EgressGateway, ForwardingMethod, KubeVip, KubeVipControlPlane, KubeVipImage, KubeVipServicesLB } from ${JSON.stringify(LIB)};
const chart = new Chart(new App(), 'c');
const standard = new KubeVip(chart, 'standard', { image: KubeVipImage.standard() });
const iptables = new KubeVip(chart, 'iptables', { image: KubeVipImage.iptables() });
const cidrs = { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };
void standard; void iptables; void cidrs; void ForwardingMethod; void EgressGateway; void KubeVipControlPlane; void KubeVipServicesLB;
`;

const CASES: [string, string, string][] = [
  [
    'P1: masquerade with the standard image',
    `new KubeVipControlPlane(standard, 'cp', { address: '192.168.0.100', loadBalancer: { forwardingMethod: ForwardingMethod.MASQUERADE } });`,
    'masquerade forwarding runs the iptables binaries: use KubeVipImage.iptables()',
  ],
  [
    'P2: port security with the standard image',
    `new KubeVipServicesLB(standard, 'svc', { onlyAllowTrafficServicePorts: true });`,
    'port security (onlyAllowTrafficServicePorts) runs the iptables binaries: use KubeVipImage.iptables()',
  ],
  [
    'P3: egress with the standard image',
    `new EgressGateway(new KubeVipServicesLB(standard, 'svc'), 'egress', cidrs);`,
    'egress runs the iptables binaries: use KubeVipImage.iptables()',
  ],
  [
    'P3: egress without per-Service election',
    `new EgressGateway(new KubeVipServicesLB(iptables, 'svc', { election: false }), 'egress', cidrs);`,
    'egress rules follow the per-Service lease: create the KubeVipServicesLB with election: true',
  ],
];

function diagnosticsOf(code: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'type-messages-'));
  try {
    const file = join(dir, 'case.ts');
    writeFileSync(file, PRELUDE + code);
    const config = ts.readConfigFile(join(__dirname, '..', 'tsconfig.json'), (p) => ts.sys.readFile(p));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, join(__dirname, '..'));
    const program = ts.createProgram([file], { ...options, noEmit: true });
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('type-level refusals name the fix', () => {
  test.each(CASES)('%s', (_name, code, fix) => {
    const messages = diagnosticsOf(code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(fix);
  }, 60_000);

  test('the cases compile once the fix is applied', () => {
    const fixed = [
      `new KubeVipControlPlane(iptables, 'cp', { address: '192.168.0.100', loadBalancer: { forwardingMethod: ForwardingMethod.MASQUERADE } });`,
      `new KubeVipServicesLB(iptables, 'svc', { onlyAllowTrafficServicePorts: true });`,
      `new EgressGateway(new KubeVipServicesLB(iptables, 'svc'), 'egress', cidrs);`,
    ];
    expect(diagnosticsOf(fixed.join('\n'))).toEqual([]);
  }, 60_000);
});

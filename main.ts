import { App, Chart, YamlOutputType } from 'cdk8s';
import { Announcement, KubeVip, KubeVipControlPlane, KubeVipImage, KubeVipServicesLB } from './lib';

/**
 * The default deployment `cdk8s synth` writes to dist/manifests: one DaemonSet on the
 * control-plane nodes announcing the API server VIP over ARP and serving LoadBalancer Services.
 * Replace the address with a free one of your control-plane subnet.
 */
const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
const chart = new Chart(app, 'kube-vip', { disableResourceNameHashes: true });

const kubeVip = new KubeVip(chart, 'kube-vip', {
  image: KubeVipImage.standard(),
  announce: Announcement.arp(),
});
new KubeVipControlPlane(kubeVip, 'control-plane', { address: '192.168.0.100' });
new KubeVipServicesLB(kubeVip, 'services');

app.synth();

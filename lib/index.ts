export * from './constructs/image';
export * from './constructs/announcement';
export * from './constructs/kube-vip';
export * from './constructs/control-plane';
export * from './constructs/services-lb';
export * from './constructs/egress-gateway';
export * from './constructs/load-balancer-pools';
export * from './constructs/cloud-provider';
export * from './constructs/from-values';
export {
  AnnounceMode,
  ControlPlaneDeployment,
  EgressBackend,
  ForwardingMethod,
  ImageVariant,
  StaticPodKubeconfig,
} from './kube-vip/defaults';
export { Distribution } from './kube-vip/distributions';
export { KubeVipValues, KubeVipValuesInput, defaultValues, valuesSchema } from './model/values';
export { renderManifests, Manifest, Rendered } from './render/manifests';
export { checkValues } from './validation/validate';
export { validateValues } from './validation/validate';
export { Problem, Severity, KubeVipConfigError, formatProblem } from './model/problem';

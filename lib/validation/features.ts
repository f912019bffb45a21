import { POOL_SHADOWED } from '../kube-vip/cloud-provider';
import { ImageVariant } from '../kube-vip/defaults';
import { MANAGED_ENV_NAMES } from '../kube-vip/env';
import { STANDARD_IMAGE_REFUSAL } from '../kube-vip/iptables';
import { ENV_NOT_READ, NODE_RULES, RELEASE_UNKNOWN } from '../kube-vip/node-rules';
import { ENV_SINCE, parseRelease, releaseAtLeast } from '../kube-vip/releases';
import { lookup } from '../expr/cond';
import { KubeVipValues } from '../model/values';
import { CLOUD_PROVIDER_NAMES } from '../model/cloud-provider';
import { evaluate } from '../expr/value';
import { chooseImage, planWorkloads } from '../model/workloads';
import { checkRules } from './check-rules';
import { Problems } from './problems';

/**
 * The checks that are not rows of a table: the image against the features that need iptables,
 * the release, pool shadowing, object names and env vars the release does not read. The chart's
 * copies of these are generated too (lib/chart/generated-templates.ts).
 */
export function checkFeatures(values: KubeVipValues, problems: Problems): void {
  // P1-P3: features that shell out to iptables, against an explicit image choice.
  if (values.image.variant === ImageVariant.STANDARD) {
    for (const need of chooseImage(values).needs) {
      problems.error(
        need.rule,
        need.path,
        valueAt(values, need.path),
        STANDARD_IMAGE_REFUSAL.message(need, values.image.tag),
        STANDARD_IMAGE_REFUSAL.fix,
      );
    }
  }
  // What real kube-vip does with the rest (lib/kube-vip/node-rules.ts).
  checkRules(NODE_RULES, values, problems);
  checkRelease(values, problems);
  if (values.ipam.enabled) checkPoolOrder(values.ipam, problems);

  const workloads = planWorkloads(values);
  // The cloud provider's name is a label value too (app.kubernetes.io/instance).
  const provider =
    values.ipam.enabled && values.ipam.cloudProvider.enabled ? [String(evaluate(CLOUD_PROVIDER_NAMES.name, { values, workload: {} }))] : [];
  for (const name of [...workloads.map((w) => w.name), ...provider]) {
    if (name.length > 63) {
      problems.error(
        'name-length',
        'name',
        values.name,
        `gives the object name "${name}", longer than the 63 characters a label value allows`,
        'choose a shorter name',
      );
    }
  }

  values.extraEnv.forEach((env, i) => {
    const { name } = env;
    const since = ENV_SINCE[name]?.since;
    // A managed name is refused as such already (extra-env-managed).
    if (since && !MANAGED_ENV_NAMES.has(name) && !releaseAtLeast(values.image.tag, since)) {
      problems.error(
        ENV_NOT_READ.rule,
        `extraEnv[${i}].name`,
        name,
        ENV_NOT_READ.message(since, values.image.tag),
        ENV_NOT_READ.fix(since),
      );
    }
  });
}

function valueAt(values: KubeVipValues, path: string): unknown {
  return lookup({ values, workload: {} }, `values.${path}`);
}

/** A tag that is not a release version is judged as the default release: say so (an empty tag is image-reference's error). */
function checkRelease(values: KubeVipValues, problems: Problems): void {
  if (values.image.tag !== '' && !parseRelease(values.image.tag))
    problems.warning(RELEASE_UNKNOWN.rule, RELEASE_UNKNOWN.path, values.image.tag, RELEASE_UNKNOWN.message, RELEASE_UNKNOWN.fix);
}

function checkPoolOrder(ipam: KubeVipValues['ipam'], problems: Problems): void {
  const { rule, message, globalFix, namespaceFix } = POOL_SHADOWED;
  if (ipam.global.cidrs.length > 0 && ipam.global.ranges.length > 0) {
    problems.error(rule, 'ipam.global.ranges', ipam.global.ranges, message('ipam.global.cidrs'), globalFix);
  }
  for (const [namespace, pool] of Object.entries(ipam.namespaces)) {
    const ranges = pool.ranges ?? [];
    if (ranges.length === 0) continue;
    const shadow =
      (pool.cidrs ?? []).length > 0 ? `ipam.namespaces.${namespace}.cidrs` : ipam.global.cidrs.length > 0 ? 'ipam.global.cidrs' : undefined;
    if (shadow) problems.error(rule, `ipam.namespaces.${namespace}.ranges`, ranges, message(shadow), namespaceFix(namespace, shadow));
  }
}

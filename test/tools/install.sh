#!/usr/bin/env bash
# Builds the pinned Go tools the tests use into <repo>/.tools/bin (git-ignored).
#
#   test/tools/install.sh [system] [helm] [registry] [kube-score] [apiserver] [seccomp] [kube-vip] [cloud-provider] [crds] [vm]
#   (no argument: all of them)
#
# Idempotent: a tool whose binary already has the pinned version is skipped,
# so a second run takes well under a second. The first build is slow (minutes):
# Go's build and module caches (default locations) keep later builds fast.
set -euo pipefail

# ---- pinned versions: the only place to change them -------------------------
HELM3_VERSION=v3.22.0
HELM4_VERSION=v4.3.1
# The CNCF distribution registry, an OCI registry on loopback for helm push/pull.
REGISTRY_VERSION=v3.1.2
# kube-score, the linter the suite runs over every output of the matrix.
KUBE_SCORE_VERSION=v1.20.0
# The PodMonitor CRD the tests install into the test API server: taken from the
# prometheus-operator module (served by the Go module proxy), its hash pinned.
PROMETHEUS_OPERATOR_VERSION=v0.80.1
PROMETHEUS_OPERATOR_SUM=h1:jeqy9C8ku5coMThZh/cVrB5FwJHlV98jvnSeVnQKCQw=
# kube-vip: each release the tests run has a wrapper module in kube-vip/<tag>/
# (go.mod + go.sum) that requires it; see build_wrapped for why. A release the module
# proxy may refuse is also built from kube-vip's own source archive at its tag,
# kube-vip-<tag>.tar.gz, checked against this hash (see build_from_source):
declare -A KUBE_VIP_SOURCE_SHA256=(
  [v1.2.3]=441ad894da4349c6e092aaa09900207b61d46c7a536ad1ba0cd6a76c585e3bb1 # tag v1.2.3, commit 7ce55caf
)
# kube-apiserver-test pins Kubernetes (v1.35.4) and etcd in apiserver/go.mod.
# kube-vip and kube-vip-cloud-provider: one wrapper module a release, in
# kube-vip/<tag>/ and kube-vip-cloud-provider/<tag>/ (see build_wrapped).
# ------------------------------------------------------------------------------

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/.tools/bin
mkdir -p "$bin"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# module_version BINARY MODULE: the version of MODULE a Go binary was built
# from (empty if the binary is missing or was not built from that module).
module_version() {
  [[ -x $1 ]] || return 0
  go version -m "$1" 2>/dev/null | awk -v m="$2" '$1 == "mod" && $2 == m { print $3 }'
}

# go_install NAME PACKAGE VERSION [go install flags...]: installs the command
# as $bin/NAME. go install names the binary after the package folder (helm for
# both helm 3 and helm 4), so it builds into a private GOBIN and the result is
# moved into place.
go_install() {
  local name=$1 pkg=$2 version=$3
  shift 3
  local start=$SECONDS gobin=$tmp/$name
  mkdir -p "$gobin"
  GOBIN=$gobin go install "$@" "$pkg@$version"
  mv "$gobin/$(basename "$pkg")" "$bin/$name"
  echo "$name $version ok (built in $((SECONDS - start))s)"
}

# helm_ldflags MAJOR VERSION: what helm's Makefile sets for a release build.
# A plain go install reports "v3.22" and, for helm 3, defaults
# .Capabilities.KubeVersion to v1.20.0; helm 4 reads the Kubernetes version
# from the build info itself. The git commit is unknown here and stays empty.
helm_ldflags() {
  local major=$1 version=$2 flags
  flags="-s -w -X helm.sh/helm/$major/internal/version.version=$version"
  if [[ $major == v3 ]]; then
    # Like the Makefile: Kubernetes 1.N for client-go v0.N.
    local gomod minor
    gomod=$(go mod download -json "helm.sh/helm/v3@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    minor=$(awk '$1 == "k8s.io/client-go" { split($2, v, "."); print v[2] }' "$gomod")
    [[ -n $minor ]] || { echo "cannot find client-go in helm's go.mod" >&2; return 1; }
    local pkg
    for pkg in pkg/lint/rules pkg/chartutil; do
      flags+=" -X helm.sh/helm/v3/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/$pkg.k8sVersionMinor=$minor"
    done
  fi
  echo "$flags"
}

install_helm() {
  local v
  for v in "$HELM3_VERSION" "$HELM4_VERSION"; do
    local major=${v%%.*}  # v3 / v4
    if [[ $(module_version "$bin/helm${major#v}" "helm.sh/helm/$major") == "$v" ]]; then
      echo "helm${major#v} $v ok (cached)"
      continue
    fi
    go_install "helm${major#v}" "helm.sh/helm/$major/cmd/helm" "$v" -ldflags "$(helm_ldflags "$major" "$v")"
  done
}

install_registry() {
  local module=github.com/distribution/distribution/v3
  if [[ $(module_version "$bin/registry" "$module") == "$REGISTRY_VERSION" ]]; then
    echo "registry $REGISTRY_VERSION ok (cached)"
    return
  fi
  go_install registry "$module/cmd/registry" "$REGISTRY_VERSION" -ldflags "-s -w"
}

install_kube_score() {
  local module=github.com/zegl/kube-score
  if [[ $(module_version "$bin/kube-score" "$module") == "$KUBE_SCORE_VERSION" ]]; then
    echo "kube-score $KUBE_SCORE_VERSION ok (cached)"
    return
  fi
  go_install kube-score "$module/cmd/kube-score" "$KUBE_SCORE_VERSION" -ldflags "-s -w"
}

# The API server is our own module (apiserver/), so it is built with go build
# from its folder; it is rebuilt when any of its files (or this script) is newer
# than the binary. Like a Kubernetes release build, it is stamped with the
# Kubernetes version: a plain build reports v0.0.0-master, which fails any
# chart's kubeVersion constraint at helm install.
install_apiserver() {
  local out=$bin/kube-apiserver-test
  if [[ -x $out && -z $(find "$here/apiserver" "$here/install.sh" -type f -newer "$out" -print -quit) ]]; then
    echo "kube-apiserver-test ok (cached)"
    return
  fi
  local start=$SECONDS version
  version=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$here/apiserver/go.mod")
  [[ -n $version ]] || { echo "cannot find k8s.io/kubernetes in apiserver/go.mod" >&2; return 1; }
  local minor=${version#v*.}
  minor=${minor%%.*}
  local pkg=k8s.io/component-base/version
  (cd "$here/apiserver" && go build -ldflags "-s -w -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean" -o "$tmp/kube-apiserver-test" .)
  mv "$tmp/kube-apiserver-test" "$out"
  echo "kube-apiserver-test $version ok (built in $((SECONDS - start))s)"
}

# The seccomp helper is our own module (seccomp/), built like the API server. It
# links libseccomp (cgo), as runc does.
install_seccomp() {
  local out=$bin/seccomp-exec
  if [[ -x $out && -z $(find "$here/seccomp" "$here/install.sh" -type f -newer "$out" -print -quit) ]]; then
    echo "seccomp-exec ok (cached)"
    return
  fi
  local start=$SECONDS
  (cd "$here/seccomp" && CGO_ENABLED=1 go build -ldflags "-s -w" -o "$tmp/seccomp-exec" .)
  mv "$tmp/seccomp-exec" "$out"
  echo "seccomp-exec ok (built in $((SECONDS - start))s)"
}

# kube-vip cannot be `go install`ed at a version here: go install asks the module
# proxy for the version list, which it refuses. A wrapper module that requires
# the release (a `tool` line) builds it with go build instead. Its committed
# go.sum pins every module hash, so no checksum-database lookup is needed at
# build time (v1.2.1 needs gobgp v4.6.0, which the database does not list).
# kube-vip-cloud-provider is built the same way.
#
# build_wrapped NAME MODULE DIR: builds MODULE's main package from the wrapper
# module in DIR (named after the tag) into $bin/NAME-<tag>, stamped with the tag.
build_wrapped() {
  local name=$1 module=$2 dir=$3 v out
  v=$(basename "$dir")
  out=$bin/$name-$v
  if [[ $(module_version "$out" "$module") == "$v" && -z $(find "$dir" -type f -newer "$out" -print -quit) ]]; then
    echo "$name-$v ok (cached)"
    return
  fi
  local start=$SECONDS ldflags="-s -w -X main.Version=$v"
  if grep -q "^$module $v " "$dir/go.sum"; then
    (cd "$dir" && go build -ldflags "$ldflags" -o "$tmp/$name-$v" "$module")
  else
    build_from_source "$name" "$module" "$dir" "$ldflags"
  fi
  mv "$tmp/$name-$v" "$out"
  echo "$name-$v ok (built in $((SECONDS - start))s)"
}

# A release whose own hash the wrapper's go.sum does not pin yet (the module proxy here
# refused it when the wrapper was made). First as Go would: from the proxy, checked against
# the checksum database (-mod=mod records its hash in a copy of the wrapper). Where the proxy
# refuses it, from kube-vip's source archive at the tag, its sha256 pinned above: a copy of
# the wrapper replaces the module with the unpacked source, so every dependency is still the
# one go.sum pins. The source stays in .tools/src/<name>-<tag> (git-ignored) for the tests
# that read it (test/kube-vip/releases.test.ts).
#
# build_from_source NAME MODULE DIR LDFLAGS: builds into $tmp/NAME-<tag>.
build_from_source() {
  local name=$1 module=$2 dir=$3 ldflags=$4 v wrap log
  v=$(basename "$dir")
  wrap=$tmp/wrap-$name-$v log=$tmp/proxy-$name-$v.log
  cp -r "$dir" "$wrap"
  if (cd "$wrap" && go build -mod=mod -ldflags "$ldflags" -o "$tmp/$name-$v" "$module") 2>"$log"; then
    return
  fi
  echo "$name-$v: the module proxy does not serve it ($(grep -m1 -o 'not available\|not found\|410 Gone\|404 Not Found' "$log" || tail -n1 "$log")); building from its source archive" >&2
  local src=$root/.tools/src/$name-$v
  if [[ $(cat "$src/.sha256" 2>/dev/null) != "${KUBE_VIP_SOURCE_SHA256[$v]:-}" ]]; then
    local archive
    archive=$(find_source_archive "$name-$v.tar.gz" "${KUBE_VIP_SOURCE_SHA256[$v]:-}")
    rm -rf "$src" && mkdir -p "$src"
    tar -xzf "$archive" -C "$src" --strip-components=1
    echo "${KUBE_VIP_SOURCE_SHA256[$v]}" >"$src/.sha256"
  fi
  (cd "$wrap" && go mod edit -replace "$module=$src" && go build -ldflags "$ldflags" -o "$tmp/$name-$v" "$module")
}

# find_source_archive FILE SHA256: the path of a file named FILE whose sha256 is SHA256.
# Looked for in $KUBE_VIP_SOURCE_DIR when set, otherwise in the file system (four levels
# deep): the hash, not the place, says it is the source we pinned.
find_source_archive() {
  local file=$1 want=$2 candidate
  [[ -n $want ]] || { echo "no sha256 pinned for $file in KUBE_VIP_SOURCE_SHA256" >&2; return 1; }
  local candidates
  if [[ -n ${KUBE_VIP_SOURCE_DIR:-} ]]; then
    candidates=$(find "$KUBE_VIP_SOURCE_DIR" -maxdepth 1 -type f -name "$file" 2>/dev/null)
  else
    candidates=$(find / -maxdepth 4 \( -path /proc -o -path /sys -o -path /dev -o -path /run \) -prune \
      -o -type f -name "$file" -print 2>/dev/null)
  fi
  for candidate in $candidates; do
    if [[ $(sha256sum "$candidate" | cut -d' ' -f1) == "$want" ]]; then
      echo "$candidate"
      return
    fi
    echo "$candidate: sha256 is not the pinned $want; not used" >&2
  done
  echo "$file: not found with sha256 $want; the module proxy refuses this release, so put kube-vip's" \
    "source archive at that tag in a folder and set KUBE_VIP_SOURCE_DIR to it" >&2
  return 1
}

install_kube_vip() {
  local dir
  for dir in "$here"/kube-vip/v*/; do build_wrapped kube-vip github.com/kube-vip/kube-vip "${dir%/}"; done
}

install_cloud_provider() {
  local dir
  for dir in "$here"/kube-vip-cloud-provider/v*/; do
    build_wrapped kube-vip-cloud-provider github.com/kube-vip/kube-vip-cloud-provider "${dir%/}"
  done
}

# The real PodMonitor CRD, not one written here: the module's example folder has
# the CRDs the operator's release installs. go mod download checks the pinned hash.
install_crds() {
  local out=$bin/podmonitor-crd.yaml stamp=$bin/podmonitor-crd.version
  if [[ -f $out && $(cat "$stamp" 2>/dev/null) == "$PROMETHEUS_OPERATOR_VERSION" ]]; then
    echo "podmonitor-crd $PROMETHEUS_OPERATOR_VERSION ok (cached)"
    return
  fi
  local json dir sum
  json=$(go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
  sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' <<<"$json")
  [[ $sum == "$PROMETHEUS_OPERATOR_SUM" ]] || { echo "prometheus-operator $PROMETHEUS_OPERATOR_VERSION: hash $sum, pinned $PROMETHEUS_OPERATOR_SUM" >&2; return 1; }
  cp "$dir/example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml" "$out"
  chmod 644 "$out"
  echo "$PROMETHEUS_OPERATOR_VERSION" >"$stamp"
  echo "podmonitor-crd $PROMETHEUS_OPERATOR_VERSION ok"
}

# Debian packages the tests that run kube-vip in network namespaces use: ip and
# bridges, ping and arping, the iptables binaries the iptables image stands for, nft to
# read rules, and BIRD as a BGP peer; gpg makes the key that signs the chart in
# the publishing test; gcc and libseccomp-dev build the seccomp helper; QEMU and a
# static busybox run the VM node (a kernel with IPVS, see vm/build.sh); socat relays the
# IPVS tunnel backend's port to the API server. Installed only where one is missing.
SYSTEM_PACKAGES=(iproute2 iputils-ping iputils-arping iptables nftables bird2 gnupg gcc libc6-dev libseccomp-dev qemu-system-x86 busybox-static socat)
install_system() {
  local missing=() p
  for p in "${SYSTEM_PACKAGES[@]}"; do
    # installed, not merely known (a removed package keeps its config files)
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "system packages ok (${SYSTEM_PACKAGES[*]})"
    return
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "system packages missing: ${missing[*]}: install them as root (apt-get install ${missing[*]});" \
      "until then the tests that run kube-vip on test nodes skip (and fail under CI=true)" >&2
    [[ ${CI:-} == true ]] && return 1
    return 0
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # bird2's package starts a daemon on the host: the tests run their own, in namespaces.
  systemctl disable --now bird >/dev/null 2>&1 || service bird stop >/dev/null 2>&1 || true
  echo "system packages installed: ${missing[*]}"
}

components=("$@")
[[ ${#components[@]} -gt 0 ]] || components=(system helm registry kube-score apiserver seccomp kube-vip cloud-provider crds vm)
for c in "${components[@]}"; do
  case $c in
    helm) install_helm ;;
    registry) install_registry ;;
    kube-score) install_kube_score ;;
    apiserver) install_apiserver ;;
    kube-vip) install_kube_vip ;;
    cloud-provider) install_cloud_provider ;;
    system) install_system ;;
    seccomp) install_seccomp ;;
    crds) install_crds ;;
    vm) "$here/vm/build.sh" ;;
    *) echo "unknown component: $c (known: system helm registry kube-score apiserver seccomp kube-vip cloud-provider crds vm)" >&2; exit 2 ;;
  esac
done

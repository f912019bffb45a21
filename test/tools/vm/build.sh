#!/usr/bin/env bash
# Builds the "VM node" the IPVS tests boot (test/kube-vip/support/vm.ts): a Debian kernel,
# which has IPVS as modules (this machine's kernel has none), and an initramfs of busybox,
# the modules the guest needs and test/tools/vm/init. Output: <repo>/.tools/vm/ (git-ignored)
#   vmlinuz  initrd.gz  stamp
#
#   test/tools/vm/build.sh
#
# Needs root and apt-get (it installs qemu-system-x86 and busybox-static when missing, and
# downloads the kernel package by name from the configured Debian archive). Idempotent: when
# the stamp matches the pinned package and this folder's files, it does nothing (< 1 s).
set -euo pipefail

# ---- pinned: the kernel package and its version -------------------------------
# What `apt-cache depends linux-image-amd64` named on Debian 12 (bookworm) on 2026-12-07.
# The generic flavour: `cloud` has IPVS but no 9p. When the archive drops this version,
# pick the current one the same way and update both lines.
KERNEL_PACKAGE=linux-image-6.1.0-57-amd64
KERNEL_PACKAGE_VERSION=6.1.192-3
# -------------------------------------------------------------------------------

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/.tools/vm
kernel_release=${KERNEL_PACKAGE#linux-image-}

# The stamp names the package and hashes this script and the init: a change to either rebuilds.
stamp="$KERNEL_PACKAGE=$KERNEL_PACKAGE_VERSION $(cat "$here/build.sh" "$here/init" | sha256sum | cut -c1-16)"
if [[ -f $out/stamp && $(<"$out/stamp") == "$stamp" && -f $out/vmlinuz && -f $out/initrd.gz ]] &&
  command -v qemu-system-x86_64 >/dev/null && command -v busybox >/dev/null; then
  echo "vm: up to date ($stamp)"
  exit 0
fi

start=$SECONDS
if ! command -v qemu-system-x86_64 >/dev/null || ! busybox --list 2>/dev/null | grep -qx depmod; then
  # busybox-static: the initramfs needs a binary without shared libraries.
  apt-get install -y --no-install-recommends qemu-system-x86 busybox-static
fi
busybox=$(command -v busybox)
[[ $(ldd "$busybox" 2>&1 || true) == *'not a dynamic executable'* ]] || {
  echo "$busybox is not statically linked: install busybox-static" >&2
  exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/cache"

# The kernel package, by name and version from the archive apt knows (no URL).
deb=$out/cache/${KERNEL_PACKAGE}_${KERNEL_PACKAGE_VERSION}_amd64.deb
if [[ ! -f $deb ]]; then
  # apt drops root to its _apt user to download: give it a folder it may write.
  chmod 0755 "$tmp"
  install -d -m 0755 "$tmp/download"
  if id _apt >/dev/null 2>&1; then chown _apt "$tmp/download"; fi
  (cd "$tmp/download" && apt-get download "$KERNEL_PACKAGE=$KERNEL_PACKAGE_VERSION") || {
    echo "apt-get download $KERNEL_PACKAGE=$KERNEL_PACKAGE_VERSION failed: run apt-get update;" \
      "if the archive no longer has it, pin what 'apt-cache depends linux-image-amd64' names" >&2
    exit 1
  }
  mv "$tmp/download"/*.deb "$deb"
fi
dpkg-deb -x "$deb" "$tmp/kernel"
modules=$tmp/kernel/lib/modules/$kernel_release
[[ -d $modules ]] || { echo "$deb has no lib/modules/$kernel_release" >&2; exit 1; }

# The initramfs: busybox, /init, and the modules a networked 9p guest with netfilter and IPVS
# uses. The radio, storage-network and filesystem modules it never loads are left out: the
# image is smaller and so quicker to unpack under emulation.
initramfs=$tmp/initramfs
mkdir -p "$initramfs"/{bin,lib/modules/"$kernel_release"}
cp "$busybox" "$initramfs/bin/busybox"
cp "$here/init" "$initramfs/init"
chmod 0755 "$initramfs/init"
into=$initramfs/lib/modules/$kernel_release
cp "$modules"/modules.{order,builtin,builtin.modinfo} "$into/"
copy() { # copy PATH...: module folders or files, relative to lib/modules/<release>
  local path
  for path; do
    mkdir -p "$into/$(dirname "$path")"
    cp -r "$modules/$path" "$into/$path"
  done
}
copy kernel/net kernel/crypto kernel/lib kernel/arch kernel/drivers/virtio \
  kernel/fs/9p kernel/fs/netfs kernel/fs/fscache kernel/fs/overlayfs
for unused in wireless mac80211 bluetooth sunrpc ceph nfc rxrpc tipc sctp 6lowpan ieee802154 mac802154 rfkill can; do
  rm -rf "$into/kernel/net/$unused"
done
copy kernel/drivers/net/{virtio_net,net_failover,veth,dummy,tun,macvlan,ipvlan/ipvlan}.ko kernel/drivers/net/{vxlan,wireguard}
# The IPv6 and udp-tunnel helpers vxlan and wireguard use live under net/, kept above.
(cd "$initramfs" && busybox depmod -b . "$kernel_release")

(cd "$initramfs" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$tmp/initrd.gz"
cp "$tmp/kernel/boot/vmlinuz-$kernel_release" "$tmp/vmlinuz"
mv "$tmp/vmlinuz" "$out/vmlinuz"
mv "$tmp/initrd.gz" "$out/initrd.gz"
echo "$stamp" >"$out/stamp"
echo "vm: built $KERNEL_PACKAGE $KERNEL_PACKAGE_VERSION into .tools/vm ($(du -h "$out/initrd.gz" | cut -f1) initramfs, $((SECONDS - start))s)"

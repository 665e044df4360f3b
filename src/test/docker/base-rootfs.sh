#!/usr/bin/env bash
# Builds (once) a Debian bookworm root filesystem with a Java 17 JRE from Debian's own packages and prints the
# path of its tarball, ready for `docker import`. Needs root and debootstrap. Public image registries are
# unreachable here, so this stands in for eclipse-temurin:17-jre. The tarball is cached under GRPC_PATTERNS_CACHE
# (default /var/cache/grpc-patterns), keyed by a hash of the debootstrap arguments, so only a fresh machine pays.
set -euo pipefail

cache=${GRPC_PATTERNS_CACHE:-/var/cache/grpc-patterns}
# The mirror apt already uses for the Debian archive: a deb822 `URIs:` line or a one-line `deb URL suite` entry.
mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
         | awk '($1 == "URIs:" || $1 == "deb") && $2 ~ /\/debian\/?$/ { print $2; exit }' || true)
mirror=${mirror:-http://deb.debian.org/debian}
args=(--variant=minbase --include=openjdk-17-jre-headless bookworm)
key=$(printf '%s\n' "${args[@]}" "$mirror" | sha256sum | cut -c1-16)
tarball="$cache/rootfs-$key.tar"

if [[ ! -s $tarball ]]; then
    mkdir -p "$cache"
    work=$(mktemp -d "$cache/.build-XXXXXX")
    # --one-file-system: never into a /proc or /sys that a killed debootstrap left mounted.
    trap 'rm -rf --one-file-system "$work"' EXIT
    echo "debootstrap ${args[*]} from $mirror (first run only)" >&2
    start=$SECONDS
    rootfs=$work/rootfs
    debootstrap "${args[@]}" "$rootfs" "$mirror" >&2
    # What a runtime image does not need: package lists and archives, docs, man pages.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
           "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    tar --numeric-owner -C "$rootfs" -cf "$work/rootfs.tar" .
    mv "$work/rootfs.tar" "$tarball"   # atomic: a killed run never leaves a half tarball under the key
    echo "debootstrap took $((SECONDS - start))s; cached $tarball ($(du -h "$tarball" | cut -f1))" >&2
fi
echo "$tarball"

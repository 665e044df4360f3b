#!/usr/bin/env bash
# Builds (once) a root filesystem that stands in for eclipse-temurin:25-jre and prints the path of its tarball,
# ready for `docker import` (public image registries are unreachable here). Needs root and debootstrap.
#   - Debian bookworm (debootstrap minbase: bash, coreutils, passwd; no Java from Debian).
#   - A Java 25 runtime in /opt/java/openjdk, where Temurin's images have it, made with jlink from this machine's
#     JDK 25+: the first /usr/lib/jvm/* whose java is 25 or newer, or JAVA25_HOME. That JDK links from its own
#     run-time image (JEP 493): no jmods needed. The importer sets JAVA_HOME and PATH, as Temurin's images do.
# Both are cached under GRPC_PATTERNS_CACHE (default /var/cache/grpc-patterns): the Debian tarball keyed by the
# debootstrap arguments (only a fresh machine pays its ~8 min), the image tarball also by the JDK's full
# `java -version` and the jlink arguments, so a JDK update rebuilds the runtime (seconds) but not Debian.
set -euo pipefail

cache=${GRPC_PATTERNS_CACHE:-/var/cache/grpc-patterns}
java_home=/opt/java/openjdk

feature_version() {   # "25.0.3" -> 25, "1.8.0_402" -> 1
    "$1/bin/java" -version 2>&1 | awk -F'"' '/ version "/ && !f { split($2, v, "."); f = v[1] } END { print f + 0 }'
}
if [[ -n ${JAVA25_HOME:-} ]]; then
    jdk=$JAVA25_HOME
    (($(feature_version "$jdk") >= 25)) || { echo "JAVA25_HOME=$jdk is not a Java 25+ JDK" >&2; exit 1; }
else
    jdk=
    for candidate in /usr/lib/jvm/*; do
        if [[ -x $candidate/bin/java ]] && (($(feature_version "$candidate") >= 25)); then
            jdk=$candidate
            break
        fi
    done
    [[ -n $jdk ]] || { echo "no Java 25+ JDK under /usr/lib/jvm; install one or set JAVA25_HOME" >&2; exit 1; }
fi
[[ -x $jdk/bin/jlink ]] || { echo "$jdk has no jlink: a JDK is needed, not a JRE" >&2; exit 1; }

# The mirror apt already uses for the Debian archive: a deb822 `URIs:` line or a one-line `deb URL suite` entry.
mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
         | awk '($1 == "URIs:" || $1 == "deb") && $2 ~ /\/debian\/?$/ { print $2; exit }' || true)
mirror=${mirror:-http://deb.debian.org/debian}
debootstrap_args=(--variant=minbase bookworm)
# What the service needs (jdk.management: process metrics; jdk.unsupported: Netty's Unsafe; jdk.naming.dns and
# jdk.crypto.ec as in a full JRE), and the JDK's default CDS archive for any start without the app's AOT cache.
jlink_args=(--add-modules java.se,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs,jdk.jfr
            --strip-debug --no-man-pages --no-header-files --generate-cds-archive)
debian_key=$(printf '%s\n' "${debootstrap_args[@]}" "$mirror" | sha256sum | cut -c1-16)
debian_tarball="$cache/debian-$debian_key.tar"
key=$(printf '%s\n' "$debian_key" "$("$jdk/bin/java" -version 2>&1)" "${jlink_args[@]}" | sha256sum | cut -c1-16)
tarball="$cache/rootfs-java25-$key.tar"

[[ -s $tarball ]] && { echo "$tarball"; exit 0; }
mkdir -p "$cache"
work=$(mktemp -d "$cache/.build-XXXXXX")
# --one-file-system: never into a /proc or /sys that a killed debootstrap left mounted.
trap 'rm -rf --one-file-system "$work"' EXIT
rootfs=$work/rootfs

if [[ ! -s $debian_tarball ]]; then
    echo "debootstrap ${debootstrap_args[*]} from $mirror (first run only)" >&2
    start=$SECONDS
    debootstrap "${debootstrap_args[@]}" "$rootfs" "$mirror" >&2
    # What a runtime image does not need: package lists and archives, docs, man pages.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
           "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    tar --numeric-owner -C "$rootfs" -cf "$work/debian.tar" .
    mv "$work/debian.tar" "$debian_tarball"   # atomic: a killed run never leaves a half tarball under the key
    echo "debootstrap took $((SECONDS - start))s; cached $debian_tarball" >&2
else
    mkdir "$rootfs"
    tar --numeric-owner -C "$rootfs" -xf "$debian_tarball"
fi

echo "jlink from $jdk into $java_home" >&2
mkdir -p "$rootfs/opt/java"
"$jdk/bin/jlink" "${jlink_args[@]}" --output "$rootfs$java_home" >&2
tar --numeric-owner -C "$rootfs" -cf "$work/rootfs.tar" .
mv "$work/rootfs.tar" "$tarball"
echo "cached $tarball ($(du -h "$tarball" | cut -f1)): Debian bookworm + $("$rootfs$java_home/bin/java" -version 2>&1 | sed -n 2p)" >&2
echo "$tarball"

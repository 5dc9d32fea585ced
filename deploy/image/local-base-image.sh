#!/usr/bin/env bash
# Builds a container base image as a `docker save` tarball from local files only, for machines that cannot pull
# the production base (eclipse-temurin:17-jre) from a registry: a Java runtime made with jlink from the JDK that
# runs the build, laid out like Temurin's (/opt/java/openjdk, on PATH, JAVA_HOME), plus the C libraries it links
# against. Jib uses it through `tar://` (hub-server's build does so for its test image; see README.md here).
#
#   local-base-image.sh JAVA_HOME OUTPUT_TAR
#
# Writes nothing if OUTPUT_TAR exists and is newer than this script (delete it, or `mvn clean`, to rebuild).
# Needs bash, GNU tar, coreutils, ldd and the JDK's jlink (a JDK, not a JRE, with its jmods).
set -euo pipefail

java_home=${1:?usage: local-base-image.sh JAVA_HOME OUTPUT_TAR}
output=${2:?usage: local-base-image.sh JAVA_HOME OUTPUT_TAR}
if [[ -s "$output" && "$output" -nt "$0" ]]; then
  echo "local base image: $output exists and is newer than this script, kept"
  exit 0
fi
[[ -x "$java_home/bin/jlink" ]] || { echo "local base image: no jlink in $java_home (a full JDK is needed)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
# /proc and /dev: mount points a container runtime (or ContainerImageTest) fills
mkdir -p "$rootfs/opt/java" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/dev"
chmod 1777 "$rootfs/tmp"

# the runtime modules a Spring Boot/Netty service uses (what a JRE image has, less desktop and tools)
"$java_home/bin/jlink" --output "$rootfs/opt/java/openjdk" \
  --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.management,jdk.management.agent,jdk.net,jdk.zipfs,jdk.naming.dns,jdk.localedata,jdk.jfr \
  --strip-debug --no-man-pages --no-header-files

# the shared libraries the runtime links against (glibc, libz, libstdc++ ...), at the same paths as on this host
find "$rootfs/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' \
  | grep -v "^$work/" | sort -u | while read -r library; do
      cp --parents -L "$library" "$rootfs/"
    done
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$rootfs/etc/hosts"
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

# one layer, reproducible: fixed owner and timestamps, sorted entries
tar --create --file "$work/layer.tar" --directory "$rootfs" --numeric-owner --owner=0 --group=0 \
  --mtime=@0 --sort=name .
layer_digest=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java/openjdk"]},"rootfs":{"type":"layers","diff_ids":["sha256:$layer_digest"]}}
JSON
printf '[{"Config":"config.json","RepoTags":["ocpihub/local-base:latest"],"Layers":["layer.tar"]}]\n' \
  > "$work/manifest.json"
mkdir -p "$(dirname "$output")"
tar --create --file "$output.partial" --directory "$work" --owner=0 --group=0 --mtime=@0 \
  manifest.json config.json layer.tar
mv "$output.partial" "$output"
echo "local base image: $output ($(du -h "$output" | cut -f1)), Java from $java_home"

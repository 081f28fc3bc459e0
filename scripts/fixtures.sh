#!/usr/bin/env bash
# Make the images the tests use. No public registry is reachable, so everything starts from
# Debian's static busybox, imported as a root filesystem.
#   berth-test/busybox:latest   busybox applets in /bin, PATH set, CMD sh
#   berth-test/web:latest       built FROM it: httpd serving /www on port 80
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing (Debian package busybox-static)"
[[ "$(file -L "$BUSYBOX")" == *"statically linked"* ]] || die "$BUSYBOX is not the static build (busybox-static)"

# Rebuild only when busybox or this script changed.
stamp="$(sha256sum "$BUSYBOX" "$0" | sha256sum | cut -c1-16)"
if [ "$(docker image inspect -f '{{index .Config.Labels "berth.fixture"}}' berth-test/web:latest 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

say "making test images (berth-test/busybox, berth-test/web)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/tmp" "$work/root/etc" "$work/root/proc" "$work/root/sys" \
  "$work/root/dev" "$work/root/root" "$work/root/www"
cp "$BUSYBOX" "$work/root/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$work/root/bin/$applet"
done
chmod 1777 "$work/root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$work/root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$work/root/etc/group"
tar -C "$work/root" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'CMD ["/bin/sh"]' \
  -c "LABEL berth.fixture=$stamp" \
  -m "busybox-static root for Berth's tests" - berth-test/busybox:latest >/dev/null

mkdir -p "$work/web"
cat >"$work/web/Dockerfile" <<DOCKERFILE
FROM berth-test/busybox:latest
RUN mkdir -p /www && echo 'hello from berth-test/web' > /www/index.html
EXPOSE 80
LABEL berth.fixture=$stamp
CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]
DOCKERFILE
out="$(docker build -q -t berth-test/web:latest "$work/web" 2>&1)" || { echo "$out" >&2; die "docker build of berth-test/web failed"; }
docker image ls berth-test/* --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' >&2

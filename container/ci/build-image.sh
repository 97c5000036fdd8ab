#!/usr/bin/env bash
# Builds the pgcontainer image on a machine with rootful podman and no registry (see docs/image.md), then starts
# podman's Docker-compatible API socket for the image tests (Testcontainers).
#
#   container/ci/build-image.sh            app folder (mvn package), base images, images, API socket
#
# Environment: DEBIAN_RELEASE (bookworm), PG_MAJOR (15), JAVA_MAJOR (17), IMAGE (localhost/pgcontainer:latest),
# ETCD_IMAGE (localhost/pgcontainer-etcd:latest), PODMAN_SOCKET (/run/podman/podman.sock).
# Most image tests run IMAGE, built for the release of the machines' own packages (bookworm, PostgreSQL 15);
# DEFAULT_IMAGE (localhost/pgcontainer:default) is the Dockerfile with no build arguments (trixie, PostgreSQL 17),
# built too so that the default is known to build and start (ImageDefaultReleaseIT).
#
# Under CI=true every failure exits non-zero with the reason: podman that cannot start a container, an image (the
# default one included) that does not build. Elsewhere, a machine that cannot run containers at all gets a warning and
# exit 0 (the image tests then skip and say why); a failing build still exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."

release=${DEBIAN_RELEASE:-bookworm}
pg_major=${PG_MAJOR:-15}
java_major=${JAVA_MAJOR:-17}
image=${IMAGE:-localhost/pgcontainer:latest}
etcd_image=${ETCD_IMAGE:-localhost/pgcontainer-etcd:latest}
default_image=${DEFAULT_IMAGE:-localhost/pgcontainer:default}
socket=${PODMAN_SOCKET:-/run/podman/podman.sock}
mirror=http://deb.debian.org/debian

log() { echo "build-image: $*" >&2; }
fail() {
  log "ERROR: $*"
  exit 1
}
# Outside CI the image tests skip with a visible reason when there is no image; say here why there is none. CI must
# test the image, so there this is an error.
cannot_run_containers() {
  [ "${CI:-}" = true ] && fail "$*; no image was built (CI=true: the image tests must run)"
  log "WARNING: $*; no image was built, the image tests (container/*IT) will be skipped"
  exit 0
}
seconds_since() { echo $(( $(date +%s) - $1 )); }

for tool in podman runc mmdebstrap /usr/lib/podman/netavark iptables; do
  command -v "$tool" >/dev/null || cannot_run_containers "$tool is missing (apt-get install podman runc catatonit \
netavark aardvark-dns iptables mmdebstrap; .ci/run installs them)"
done

# podman's defaults fail on these machines: raising RLIMIT_NOFILE past the shell's hard limit is refused, and crun
# does not support the hybrid cgroup layout. netavark (with aardvark-dns) resolves container names on a network, which
# the Patroni test and the compose files need; CNI without the dnsname plugin does not.
configure_podman() {
  local nofile
  nofile=$(ulimit -Hn)
  [ "$nofile" = unlimited ] && nofile=1048576
  mkdir -p /etc/containers/registries.conf.d
  cat >/etc/containers/containers.conf <<EOF
# written by pgcontainer's container/ci/build-image.sh
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
network_backend = "netavark"
EOF
  # A bridge left by an earlier use of the CNI backend claims netavark's default subnet (10.88.0.0/16), and
  # containers on that network then have no route out.
  if ip link show cni-podman0 >/dev/null 2>&1; then
    log "removing the CNI bridge cni-podman0 (netavark takes over its subnet)"
    ip link delete cni-podman0
  fi
  # No registry is reachable: fail at once instead of waiting on a pull of a name that is not local.
  cat >/etc/containers/registries.conf.d/90-pgcontainer-offline.conf <<EOF
# written by pgcontainer's container/ci/build-image.sh: base images are made locally with mmdebstrap
[[registry]]
location = "docker.io"
blocked = true
EOF
}

# debian:<release>-slim made from Debian's mirror, under the name a FROM line resolves to, so the Dockerfile builds
# unchanged here and against Docker Hub elsewhere.
make_base_image() {
  local release=$1
  local name=docker.io/library/debian:$release-slim
  if podman image exists "$name"; then
    log "base image $name exists"
    return
  fi
  local start tar
  start=$(date +%s)
  tar=$(mktemp --suffix=.tar)
  # the dpkg excludes are those of the official slim images (they stay in the image for later apt-get installs)
  if ! mmdebstrap --variant=minbase --mode=root --format=tar --quiet \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/groff/*' \
      --dpkgopt='path-exclude=/usr/share/lintian/*' \
      "$release" "$tar" \
      "deb $mirror $release main" "deb $mirror $release-updates main" \
      "deb http://deb.debian.org/debian-security $release-security main"; then
    rm -f "$tar"
    cannot_run_containers "mmdebstrap could not make a Debian $release base image (is $mirror reachable?)"
  fi
  # the configuration of the official image: its PATH and its command
  podman import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' "$tar" "localhost/debian:$release-slim" >/dev/null \
    || fail "podman could not import the Debian $release base image"
  podman tag "localhost/debian:$release-slim" "$name"
  rm -f "$tar"
  log "base image $name made in $(seconds_since "$start") s"
}

start_api_socket() {
  if curl -fsS --max-time 2 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; then
    log "podman API already listens on $socket"
    return
  fi
  mkdir -p "$(dirname "$socket")"
  # detached, so that it outlives this script and serves the Maven build that follows; started in /, as a service
  # whose working directory is a checkout that is later deleted fails every container start ("exit status 1")
  (cd / && setsid nohup podman system service --time=0 "unix://$socket" >/var/log/pgcontainer-podman-service.log 2>&1 \
    </dev/null &)
  for _ in $(seq 50); do
    curl -fsS --max-time 1 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1 && {
      log "podman API listens on $socket (DOCKER_HOST=unix://$socket)"
      return
    }
    sleep 0.2
  done
  cannot_run_containers "podman system service did not answer on $socket (see /var/log/pgcontainer-podman-service.log)"
}

configure_podman
podman info >/dev/null 2>&1 || cannot_run_containers "podman cannot run here: $(podman info 2>&1 | tail -1)"

start=$(date +%s)
mvn -B -q -DskipTests package -pl launcher-cli -am || fail "the launcher's app folder did not build (mvn package)"
log "launcher app folder built in $(seconds_since "$start") s"

make_base_image "$release"
podman run --rm "docker.io/library/debian:$release-slim" true \
  || cannot_run_containers "podman cannot start a container here (see the error above)"

start=$(date +%s)
podman build --format docker --layers --tag "$image" --file container/Dockerfile \
  --build-arg DEBIAN_RELEASE="$release" --build-arg PG_MAJOR="$pg_major" --build-arg JAVA_MAJOR="$java_major" . \
  || fail "the image $image did not build (see podman build's output above)"
log "image $image built in $(seconds_since "$start") s"

start=$(date +%s)
podman build --format docker --layers --tag "$etcd_image" --file container/etcd/Dockerfile \
  --build-arg DEBIAN_RELEASE="$release" container/etcd \
  || fail "the image $etcd_image did not build (see podman build's output above)"
log "image $etcd_image built in $(seconds_since "$start") s"

default_release=$(sed -n 's/^ARG DEBIAN_RELEASE=//p' container/Dockerfile)
start=$(date +%s)
# What `docker build .` gives a user must build as surely as CI's own image: under CI=true its failure fails the run.
podman rmi -f "$default_image" >/dev/null 2>&1 || true
if (make_base_image "$default_release") && podman build --format docker --layers --tag "$default_image" \
    --file container/Dockerfile .; then
  log "image $default_image (the Dockerfile's defaults: $default_release) built in $(seconds_since "$start") s"
elif [ "${CI:-}" = true ]; then
  fail "the image with the Dockerfile's defaults ($default_image, $default_release) did not build (see above)"
else
  log "WARNING: the image with the Dockerfile's defaults ($default_release) did not build; ImageDefaultReleaseIT skips"
fi

start_api_socket

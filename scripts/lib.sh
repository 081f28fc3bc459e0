# Shared set-up steps for scripts/run.sh, scripts/test.sh and the benchmarks. Every step checks
# first and only does what is missing, so running it twice costs seconds.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/target/berth-env"
mkdir -p "$STATE"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Debian packages to build and run the app against a local engine.
RUN_PACKAGES=(
  build-essential pkg-config file curl libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  docker.io
)
# ...and what the tests add: a virtual display, the WebDriver for WebKitGTK, a session bus, a
# notification server, the local registry, compose, busybox for the test images, the tools that
# read the packages Berth builds, X bindings to close the window as a window manager would,
# xdg-open for the browser Berth opens on a port, gio to launch the login entry as GNOME does,
# htpasswd for the registry that asks for a password, and sshd and openssl for remote engines.
TEST_PACKAGES=(
  xvfb xauth webkit2gtk-driver dbus dbus-x11 imagemagick dunst
  docker-registry docker-compose busybox-static rpm desktop-file-utils python3-xlib xdg-utils
  libglib2.0-bin apache2-utils openssh-server openssl iproute2 podman
)

ensure_packages() {
  local missing=()
  for p in "$@"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages (${missing[*]}); run as root or install them with apt-get"
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
  # rustfmt and clippy come with the default rustup profile; add them if a minimal one was used.
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt >/dev/null
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy >/dev/null
}

ensure_node() {
  command -v node >/dev/null || die "node not found: Berth's UI build needs Node.js 20.19 or newer"
  local v
  v="$(node -p 'process.versions.node')"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js $v is too old: Vite needs 20.19 or newer"
  # npm ci is the slow part: only redo it when the lock file changed.
  local stamp="$ROOT/ui/node_modules/.berth-lock"
  if ! cmp -s "$ROOT/ui/package-lock.json" "$stamp" 2>/dev/null; then
    say "npm ci (ui/)"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/ui/package-lock.json" "$stamp"
  fi
}

ensure_tauri_driver() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! tauri-driver --help >/dev/null 2>&1; then
    say "cargo install tauri-driver 2.1.0"
    cargo install tauri-driver --version 2.1.0 --locked --quiet
  fi
  command -v WebKitWebDriver >/dev/null || die "WebKitWebDriver not found (Debian package webkit2gtk-driver)"
}

docker_socket() {
  local host="${DOCKER_HOST:-unix:///var/run/docker.sock}"
  echo "${host#unix://}"
}

# Start a local dockerd when none answers and this machine can run one.
ensure_dockerd() {
  if docker info >/dev/null 2>&1; then return 0; fi
  [ -z "${DOCKER_HOST:-}" ] || die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
  command -v dockerd >/dev/null || die "no Docker engine answers and dockerd is not installed (Debian package docker.io)"
  [ "$(id -u)" -eq 0 ] || die "no Docker engine answers; start it (sudo systemctl start docker) or run this as root"
  say "starting dockerd (log: $STATE/dockerd.log)"
  # In a session of its own, as a service manager starts it: the kernel's autogroup then
  # schedules it apart from the shell that started it (and the apps and benchmarks it starts).
  nohup setsid dockerd >"$STATE/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -20 "$STATE/dockerd.log" >&2
  die "dockerd did not come up within 30 s"
}

# Debian's docker-registry on 127.0.0.1:5000, for pull and push tests.
ensure_registry() {
  if curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then return 0; fi
  command -v docker-registry >/dev/null || die "docker-registry not installed (Debian package docker-registry)"
  mkdir -p "$STATE/registry"
  cat >"$STATE/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YML
  say "starting the local registry on 127.0.0.1:5000"
  nohup docker-registry serve "$STATE/registry.yml" >"$STATE/registry.log" 2>&1 &
  for _ in $(seq 1 40); do
    curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  tail -20 "$STATE/registry.log" >&2
  die "the registry did not come up on 127.0.0.1:5000"
}

# A second registry on 127.0.0.1:5001 that asks for a password (htpasswd), for the credential
# tests: user "berth", a password made here, kept in $STATE/auth-registry/password (0600).
AUTH_REGISTRY=127.0.0.1:5001
ensure_auth_registry() {
  local dir="$STATE/auth-registry"
  answers_to_ours() {
    [ -s "$dir/password" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' \
      -u "berth:$(cat "$dir/password")" "http://$AUTH_REGISTRY/v2/")" = 200 ]
  }
  answers_to_ours && return 0
  command -v htpasswd >/dev/null || die "htpasswd not installed (Debian package apache2-utils)"
  # One made for another checkout holds the port with a password this one does not know.
  pkill -f "docker-registry serve .*/auth-registry/registry.yml" 2>/dev/null || true
  for _ in $(seq 1 40); do
    curl -s -o /dev/null "http://$AUTH_REGISTRY/v2/" || break
    sleep 0.25
  done
  mkdir -p "$dir/data"
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password")
  htpasswd -Bbn berth "$(cat "$dir/password")" >"$dir/htpasswd"
  cat >"$dir/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $AUTH_REGISTRY
auth:
  htpasswd:
    realm: berth-tests
    path: $dir/htpasswd
YML
  say "starting the password registry on $AUTH_REGISTRY"
  nohup docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
  for _ in $(seq 1 40); do
    answers_to_ours && return 0
    sleep 0.25
  done
  tail -20 "$dir/registry.log" >&2
  die "the password registry did not come up on $AUTH_REGISTRY (is something else listening there?)"
}

# A second engine for the remote-engine tests: its own dockerd (data root, exec root, pid file,
# unix socket, bridge $ENGINE2_BRIDGE with no NAT) listening on tcp://$TLS_ENGINE with TLS only.
# Not --bridge none: a dockerd started so deletes docker0, the first engine's bridge. The CA, server and client
# certificates are made here with openssl; the client's are in $STATE/engine2/client
# (DOCKER_CERT_PATH). It holds berth-test/busybox, copied from the first engine.
TLS_ENGINE=127.0.0.1:2376
ENGINE2_BRIDGE=berth-e2
# Wait (up to 40 s) until the command $1 succeeds; else show the log $2 and stop, saying $3.
wait_up() {
  for _ in $(seq 1 160); do
    "$1" && return 0
    sleep 0.25
  done
  tail -20 "$2" >&2
  die "$3"
}

# Stop the processes whose command line matches $1, and wait (up to 20 s) until they are gone.
stop_all() {
  pkill -f "$1" 2>/dev/null || true
  for _ in $(seq 1 80); do
    pgrep -f "$1" >/dev/null || return 0
    sleep 0.25
  done
}

# Podman's Docker-compatible API, for the tests of what Berth must read the same from either
# engine. Its own storage and run directories, so the machine's own Podman is left alone; no
# container is started there (only created), so it needs no network set-up.
PODMAN_SOCKET="$STATE/podman/podman.sock"
ensure_podman() {
  local dir="$STATE/podman"
  local podman=(podman --root "$dir/storage" --runroot /run/berth-podman --tmpdir "$dir/tmp"
    --events-backend file --cgroup-manager cgroupfs)
  answers() { DOCKER_HOST="unix://$PODMAN_SOCKET" timeout 10 docker version >/dev/null 2>&1; }
  if ! answers; then
    command -v podman >/dev/null || die "podman not installed (Debian package podman)"
    # One started for another checkout holds the run directory.
    stop_all "podman .*--runroot /run/berth-podman .*system service"
    mkdir -p "$dir/tmp"
    rm -f "$PODMAN_SOCKET"
    say "starting Podman's Docker API on unix://$PODMAN_SOCKET (log: $dir/service.log)"
    nohup setsid "${podman[@]}" system service --time=0 "unix://$PODMAN_SOCKET" \
      >"$dir/service.log" 2>&1 &
    wait_up answers "$dir/service.log" "Podman's API did not come up on $PODMAN_SOCKET"
  fi
  if ! DOCKER_HOST="unix://$PODMAN_SOCKET" docker image inspect berth-test/busybox:latest >/dev/null 2>&1; then
    docker save berth-test/busybox:latest | "${podman[@]}" load -q >/dev/null \
      || die "could not copy berth-test/busybox to Podman"
  fi
}

ensure_tls_engine() {
  local dir="$STATE/engine2"
  answers_to_ours() {
    [ -s "$dir/client/cert.pem" ] && DOCKER_HOST="tcp://$TLS_ENGINE" DOCKER_TLS_VERIFY=1 \
      DOCKER_CERT_PATH="$dir/client" timeout 10 docker info >/dev/null 2>&1
  }
  if ! answers_to_ours; then
    command -v openssl >/dev/null || die "openssl not installed (Debian package openssl)"
    # One started for another checkout holds the port with certificates this one does not have.
    stop_all "dockerd .*--exec-root /run/berth-engine2"
    mkdir -p "$dir/data"
    # Made once: contexts the tests saved keep working across restarts of this engine.
    [ -s "$dir/client/cert.pem" ] && [ -s "$dir/server/cert.pem" ] \
      && openssl x509 -checkend 86400 -noout -in "$dir/server/cert.pem" >/dev/null || (
      rm -rf "$dir/pki" "$dir/client" "$dir/server"
      mkdir -p "$dir/pki" "$dir/client" "$dir/server"
      cd "$dir/pki"
      umask 077
      openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Berth test CA" \
        -keyout ca-key.pem -out ca.pem 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem \
        -out server.csr 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
        -extfile server.ext -out server-cert.pem 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=berth-tests" -keyout client-key.pem \
        -out client.csr 2>/dev/null
      printf 'extendedKeyUsage=clientAuth\n' >client.ext
      openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
        -extfile client.ext -out client-cert.pem 2>/dev/null
      cp ca.pem ../client/ca.pem; cp client-cert.pem ../client/cert.pem; cp client-key.pem ../client/key.pem
      cp ca.pem ../server/ca.pem; cp server-cert.pem ../server/cert.pem; cp server-key.pem ../server/key.pem
    ) || die "openssl could not make the test certificates"
    if ! ip link show "$ENGINE2_BRIDGE" >/dev/null 2>&1; then
      ip link add "$ENGINE2_BRIDGE" type bridge || die "cannot make the bridge $ENGINE2_BRIDGE"
      ip addr add 10.213.7.1/24 dev "$ENGINE2_BRIDGE"
      ip link set "$ENGINE2_BRIDGE" up
    fi
    say "starting the second engine on tcp://$TLS_ENGINE (TLS; log: $dir/dockerd.log)"
    nohup setsid dockerd --data-root "$dir/data" --exec-root /run/berth-engine2 \
      --pidfile "$dir/docker.pid" -H "unix://$dir/docker.sock" -H "tcp://$TLS_ENGINE" \
      --tlsverify --tlscacert "$dir/server/ca.pem" --tlscert "$dir/server/cert.pem" \
      --tlskey "$dir/server/key.pem" --bridge "$ENGINE2_BRIDGE" --iptables=false --ip-masq=false \
      --containerd-namespace berth-engine2 --containerd-plugins-namespace berth-engine2-plugins \
      >"$dir/dockerd.log" 2>&1 &
    wait_up answers_to_ours "$dir/dockerd.log" "the second engine did not come up on $TLS_ENGINE"
  fi
  if ! docker -H "unix://$dir/docker.sock" image inspect berth-test/busybox:latest >/dev/null 2>&1; then
    docker save berth-test/busybox:latest | docker -H "unix://$dir/docker.sock" load -q >/dev/null \
      || die "could not copy berth-test/busybox to the second engine"
  fi
}

# Debian's openssh-server on 127.0.0.1:$SSH_PORT for the ssh engine tests: key log-in only, as
# root, with a host key and a client key made here. $STATE/sshd/ssh_config reaches it (the test
# key, a known_hosts with its host key); the remote's docker is this machine's first engine.
SSH_PORT=2222
ensure_sshd() {
  local dir="$STATE/sshd"
  answers_to_ours() {
    [ -s "$dir/ssh_config" ] && timeout 10 ssh -F "$dir/ssh_config" -o BatchMode=yes \
      berth-test-ssh true >/dev/null 2>&1
  }
  answers_to_ours && return 0
  [ -x /usr/sbin/sshd ] || die "sshd not installed (Debian package openssh-server)"
  pkill -f "sshd -f .*/sshd/sshd_config" 2>/dev/null || true
  for _ in $(seq 1 40); do
    pgrep -f "sshd -f .*/sshd/sshd_config" >/dev/null || break
    sleep 0.25
  done
  rm -rf "$dir"
  mkdir -p "$dir" /run/sshd
  chmod 700 "$dir"
  ssh-keygen -q -t ed25519 -N '' -C berth-test-host -f "$dir/host_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C berth-tests -f "$dir/id_ed25519"
  cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
  printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >"$dir/known_hosts"
  cat >"$dir/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding no
X11Forwarding no
CONF
  cat >"$dir/ssh_config" <<CONF
Host berth-test-ssh 127.0.0.1
  HostName 127.0.0.1
  Port $SSH_PORT
  User root
  IdentityFile $dir/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  StrictHostKeyChecking yes
CONF
  say "starting sshd on 127.0.0.1:$SSH_PORT (log: $dir/sshd.log)"
  /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" || die "sshd did not start (see $dir/sshd.log)"
  for _ in $(seq 1 40); do
    answers_to_ours && return 0
    sleep 0.25
  done
  tail -20 "$dir/sshd.log" >&2
  die "sshd did not accept the test key on 127.0.0.1:$SSH_PORT"
}

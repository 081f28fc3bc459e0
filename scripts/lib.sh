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
# and htpasswd for the registry that asks for a password.
TEST_PACKAGES=(
  xvfb xauth webkit2gtk-driver dbus dbus-x11 imagemagick dunst
  docker-registry docker-compose busybox-static rpm desktop-file-utils python3-xlib xdg-utils
  libglib2.0-bin apache2-utils
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
  nohup dockerd >"$STATE/dockerd.log" 2>&1 &
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

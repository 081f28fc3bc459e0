//! How Berth reaches an engine that is not a local unix socket: TCP with TLS (or plain TCP to a
//! loopback address), or `ssh` running `docker system dial-stdio` on the remote the way the
//! docker CLI does. Each remote engine gets a private unix socket (a [`Tunnel`]) that Berth's
//! clients, raw calls and compose use as if the engine were local; every connection to it dials
//! the engine anew, so hyper's pool decides how many there are.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpStream, UnixListener};
use tokio::process::{Child, ChildStderr, ChildStdin, ChildStdout};

use super::connect::{Unreachable, UnreachableReason};

/// How long dialling (TCP connect, TLS handshake, ssh log-in) may take.
const DIAL_LIMIT: Duration = Duration::from_secs(10);
/// Keep-alive probes on remote connections, so a stream notices a dead peer within 10 s.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(3);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(2);
const KEEPALIVE_PROBES: u32 = 3;

/// An engine address, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Unix(PathBuf),
    Tcp { host: String, port: u16 },
    Ssh { user: Option<String>, host: String, port: Option<u16> },
}

/// Client certificate, key and CA files for a TLS engine; read from disk at each dial, never
/// copied anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsFiles {
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// Check the engine's certificate against `ca` (`DOCKER_TLS_VERIFY`, a context without
    /// `SkipTLSVerify`).
    pub verify: bool,
}

impl TlsFiles {
    /// `ca.pem`, `cert.pem` and `key.pem` in `dir`, those that exist.
    pub fn in_dir(dir: &Path, verify: bool) -> Self {
        let file = |n: &str| Some(dir.join(n)).filter(|p| p.is_file());
        Self { ca: file("ca.pem"), cert: file("cert.pem"), key: file("key.pem"), verify }
    }
}

fn invalid(message: String) -> Unreachable {
    Unreachable::new(UnreachableReason::InvalidHost, message)
}

/// Parse an address as the docker CLI writes it. `tls` decides a TCP address's default port
/// (2376 with TLS, 2375 without), as in the CLI.
pub fn parse(uri: &str, tls: bool) -> Result<Address, Unreachable> {
    let uri = uri.trim();
    if let Some(path) = uri.strip_prefix("unix://").or_else(|| uri.starts_with('/').then_some(uri))
    {
        if path.is_empty() {
            return Err(invalid(format!("\"{uri}\" names no socket path")));
        }
        return Ok(Address::Unix(PathBuf::from(path)));
    }
    if let Some(rest) = uri.strip_prefix("tcp://") {
        let rest = rest.trim_end_matches('/');
        let (host, port) =
            split_port(rest).ok_or_else(|| invalid(format!("\"{uri}\" is not a host and port")))?;
        if host.is_empty() {
            return Err(invalid(format!("\"{uri}\" names no host")));
        }
        let port = port.unwrap_or(if tls { 2376 } else { 2375 });
        return Ok(Address::Tcp { host, port });
    }
    if let Some(rest) = uri.strip_prefix("ssh://") {
        let rest = rest.trim_end_matches('/');
        if rest.contains('/') || rest.contains('?') {
            return Err(invalid(format!("\"{uri}\": an ssh address has no path")));
        }
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) if !u.is_empty() => (Some(u.to_string()), h),
            Some(_) => return Err(invalid(format!("\"{uri}\" names an empty user"))),
            None => (None, rest),
        };
        let (host, port) = split_port(hostport)
            .ok_or_else(|| invalid(format!("\"{uri}\" is not user@host[:port]")))?;
        if host.is_empty() || host.starts_with('-') {
            return Err(invalid(format!("\"{uri}\" names no host")));
        }
        if user.as_deref().is_some_and(|u| u.starts_with('-')) {
            return Err(invalid(format!("\"{uri}\" names no user")));
        }
        return Ok(Address::Ssh { user, host, port });
    }
    let scheme = uri.split("://").next().unwrap_or(uri);
    Err(invalid(format!(
        "Berth speaks unix://, tcp:// and ssh:// addresses; \"{scheme}\" ({uri}) is none of them"
    )))
}

/// `host[:port]`, with `[v6]:port` brackets; `None` for a port that is not a number.
fn split_port(s: &str) -> Option<(String, Option<u16>)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.to_string(), port));
    }
    match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => Some((h.to_string(), Some(p.parse().ok()?))),
        _ => Some((s.to_string(), None)),
    }
}

/// Whether `host` is this machine only (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

/// What dialling the engine means.
#[derive(Debug, Clone)]
pub enum Dial {
    Tcp { host: String, port: u16, tls: Option<Arc<rustls::ClientConfig>> },
    Ssh(SshTarget),
}

/// An `ssh` destination and the options Berth adds; everything else comes from the user's
/// `~/.ssh/config` and `known_hosts`, as for the docker CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    /// An ssh config file to use instead of `~/.ssh/config` (`BERTH_SSH_CONFIG`).
    pub config: Option<PathBuf>,
}

impl SshTarget {
    /// The argument vector after `ssh`: never a shell, no prompt (a password-only login fails
    /// instead of waiting), keep-alives that notice a dead peer within about 10 s.
    pub fn args(&self) -> Vec<String> {
        let mut a: Vec<String> = [
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=10",
            "-o",
            "ServerAliveInterval=3",
            "-o",
            "ServerAliveCountMax=3",
            "-T",
        ]
        .map(String::from)
        .to_vec();
        if let Some(c) = &self.config {
            a.extend(["-F".into(), c.display().to_string()]);
        }
        if let Some(u) = &self.user {
            a.extend(["-l".into(), u.clone()]);
        }
        if let Some(p) = self.port {
            a.extend(["-p".into(), p.to_string()]);
        }
        a.extend(["--".into(), self.host.clone(), "docker".into(), "system".into()]);
        a.push("dial-stdio".into());
        a
    }
}

/// The engine described by `address` and `tls`, as something to dial; `None` for a unix socket.
pub fn dial_for(
    address: &Address,
    tls: Option<&TlsFiles>,
    ssh_config: Option<PathBuf>,
) -> Result<Option<Dial>, Unreachable> {
    match address {
        Address::Unix(_) => Ok(None),
        Address::Tcp { host, port } => {
            let tls = match tls {
                Some(files) => Some(Arc::new(client_config(files)?)),
                None if is_loopback(host) => None,
                None => {
                    return Err(Unreachable::new(
                        UnreachableReason::Insecure,
                        format!(
                            "tcp://{host}:{port} without TLS: anyone who can reach that port \
                             controls the machine, so Berth does not connect. Give the engine \
                             TLS certificates (dockerd --tlsverify) or use ssh://"
                        ),
                    ))
                }
            };
            Ok(Some(Dial::Tcp { host: host.clone(), port: *port, tls }))
        }
        Address::Ssh { user, host, port } => Ok(Some(Dial::Ssh(SshTarget {
            user: user.clone(),
            host: host.clone(),
            port: *port,
            config: ssh_config,
        }))),
    }
}

fn tls_problem(message: String) -> Unreachable {
    Unreachable::new(UnreachableReason::Tls, message)
}

fn read_pem(path: &Path, what: &str) -> Result<Vec<u8>, Unreachable> {
    std::fs::read(path)
        .map_err(|e| tls_problem(format!("cannot read the {what} {}: {e}", path.display())))
}

/// A rustls client for `files`: the CA as the only root, the client certificate and key.
fn client_config(files: &TlsFiles) -> Result<rustls::ClientConfig, Unreachable> {
    use rustls::pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_problem(e.to_string()))?;
    let builder = if files.verify {
        let ca = files.ca.as_deref().ok_or_else(|| {
            tls_problem("checking the engine's certificate needs a CA file (ca.pem)".into())
        })?;
        let mut roots = rustls::RootCertStore::empty();
        let pem = read_pem(ca, "CA certificate")?;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| tls_problem(format!("{}: {e}", ca.display())))?;
            roots.add(cert).map_err(|e| tls_problem(format!("{}: {e}", ca.display())))?;
        }
        if roots.is_empty() {
            return Err(tls_problem(format!("{} holds no certificate", ca.display())));
        }
        builder.with_root_certificates(roots)
    } else {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(AnyServer(provider)))
    };
    match (&files.cert, &files.key) {
        (Some(cert), Some(key)) => {
            let pem = read_pem(cert, "client certificate")?;
            let chain = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| tls_problem(format!("{}: {e}", cert.display())))?;
            let key_pem = read_pem(key, "client key")?;
            let key = PrivateKeyDer::from_pem_slice(&key_pem)
                .map_err(|e| tls_problem(format!("{}: {e}", key.display())))?;
            builder.with_client_auth_cert(chain, key).map_err(|e| tls_problem(e.to_string()))
        }
        _ => Ok(builder.with_no_client_auth()),
    }
}

/// The docker CLI's `--tls` without `--tlsverify`: encrypted, any server certificate accepted.
#[derive(Debug)]
struct AnyServer(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyServer {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A byte stream to the engine.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A connection through `ssh ... docker system dial-stdio`; the process ends with it.
struct SshStream {
    _child: Child,
    out: ChildStdout,
    inp: ChildStdin,
}

impl AsyncRead for SshStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.out).poll_read(cx, buf)
    }
}

impl AsyncWrite for SshStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inp).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inp).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inp).poll_shutdown(cx)
    }
}

fn lost(what: String) -> Unreachable {
    Unreachable::new(UnreachableReason::Refused, what)
}

/// Open one connection to the engine. For ssh, also the process's error output, which says why
/// a log-in failed.
async fn open(dial: &Dial) -> Result<(Box<dyn Io>, Option<ChildStderr>), Unreachable> {
    match dial {
        Dial::Tcp { host, port, tls } => {
            let addr = format!("{host}:{port}");
            let tcp = match tokio::time::timeout(DIAL_LIMIT, TcpStream::connect(&addr)).await {
                Err(_) => {
                    return Err(Unreachable::new(
                        UnreachableReason::Timeout,
                        format!("{addr} did not answer within {} s", DIAL_LIMIT.as_secs()),
                    ))
                }
                Ok(Err(e)) => return Err(lost(format!("cannot connect to {addr}: {e}"))),
                Ok(Ok(tcp)) => tcp,
            };
            let keepalive = socket2::TcpKeepalive::new()
                .with_time(KEEPALIVE_IDLE)
                .with_interval(KEEPALIVE_INTERVAL)
                .with_retries(KEEPALIVE_PROBES);
            let _ = socket2::SockRef::from(&tcp).set_tcp_keepalive(&keepalive);
            let _ = tcp.set_nodelay(true);
            let Some(config) = tls else { return Ok((Box::new(tcp), None)) };
            let name = rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|e| tls_problem(format!("{host}: {e}")))?;
            let connector = tokio_rustls::TlsConnector::from(config.clone());
            match tokio::time::timeout(DIAL_LIMIT, connector.connect(name, tcp)).await {
                Err(_) => Err(Unreachable::new(
                    UnreachableReason::Timeout,
                    format!("{addr} did not finish the TLS handshake in time"),
                )),
                Ok(Err(e)) => Err(tls_problem(format!("TLS with {addr} failed: {e}"))),
                Ok(Ok(s)) => Ok((Box::new(s), None)),
            }
        }
        Dial::Ssh(target) => {
            let mut cmd = tokio::process::Command::from(super::process::command("ssh"));
            cmd.args(target.args())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true);
            let mut child = cmd.spawn().map_err(|e| {
                let reason = if e.kind() == std::io::ErrorKind::NotFound {
                    "no ssh program on this machine (package openssh-client)".to_string()
                } else {
                    format!("cannot start ssh: {e}")
                };
                Unreachable::new(UnreachableReason::InvalidHost, reason)
            })?;
            let (Some(out), Some(inp), err) =
                (child.stdout.take(), child.stdin.take(), child.stderr.take())
            else {
                return Err(lost("ssh gave no pipes".into()));
            };
            Ok((Box::new(SshStream { _child: child, out, inp }), err))
        }
    }
}

/// Dial once and ask `/_ping`: the engine answers, or a reason people can act on.
pub async fn preflight(dial: &Dial) -> Result<(), Unreachable> {
    let (mut io, stderr) = open(dial).await?;
    let ask = async {
        io.write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n").await?;
        let mut buf = Vec::new();
        io.read_to_end(&mut buf).await?;
        Ok::<_, std::io::Error>(buf)
    };
    let answer = tokio::time::timeout(DIAL_LIMIT + DIAL_LIMIT, ask).await;
    if let Ok(Ok(buf)) = &answer {
        if buf.starts_with(b"HTTP/1.") {
            return Ok(());
        }
    }
    drop(io);
    let mut said = String::new();
    if let Some(mut err) = stderr {
        let _ = tokio::time::timeout(Duration::from_secs(2), err.read_to_string(&mut said)).await;
    }
    Err(match (dial, answer) {
        (Dial::Ssh(t), _) => ssh_failure(t, &said),
        (Dial::Tcp { host, port, .. }, Err(_)) => Unreachable::new(
            UnreachableReason::Timeout,
            format!("{host}:{port} did not answer as a Docker engine in time"),
        ),
        (Dial::Tcp { host, port, .. }, Ok(Err(e))) => {
            // With TLS 1.3 the engine refuses a client certificate after the handshake.
            let tls = e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>());
            let message = format!("{host}:{port} closed the connection: {e}");
            if tls {
                tls_problem(message)
            } else {
                lost(message)
            }
        }
        (Dial::Tcp { host, port, .. }, Ok(Ok(_))) => {
            lost(format!("the program at {host}:{port} does not speak the Docker Engine API"))
        }
    })
}

/// Why an ssh connection failed, read from what ssh (or the remote shell) printed: ssh speaks
/// only text, so its messages are the protocol here.
pub fn ssh_failure(target: &SshTarget, said: &str) -> Unreachable {
    let at = match target.port {
        Some(p) => format!("{}:{p}", target.host),
        None => target.host.clone(),
    };
    let last = said
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with('@'))
        .unwrap_or("ssh ended without saying why");
    let (reason, message) = if said.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") {
        (
            UnreachableReason::HostKeyChanged,
            format!(
                "the host key of {at} changed since it was recorded in known_hosts: someone may \
                 be in between, or the host was reinstalled. Check with its owner, then remove \
                 the old key (ssh-keygen -R)"
            ),
        )
    } else if said.contains("Host key verification failed")
        || said.contains("No ED25519 host key is known")
        || said.contains("host key is known")
    {
        (
            UnreachableReason::HostKeyUnknown,
            format!(
                "{at} is not in known_hosts. Connect once with ssh in a terminal to check and \
                 record its key, then retry"
            ),
        )
    } else if said.contains("Permission denied") {
        let password_only = said.contains("Permission denied (password")
            || said.contains("Permission denied (keyboard-interactive");
        let message = if password_only {
            format!("{at} accepts only a password; Berth logs in with a key or the ssh agent")
        } else {
            format!("{at} accepted no key offered (from the ssh agent or ~/.ssh): {last}")
        };
        (UnreachableReason::SshAuth, message)
    } else if said.contains("docker: not found")
        || said.contains("docker: command not found")
        || said.contains("\"docker\": executable file not found")
    {
        (UnreachableReason::DockerMissing, format!("{at} has no docker command"))
    } else if said.contains("dial-stdio") && said.contains("unknown") {
        (
            UnreachableReason::DockerMissing,
            format!("the docker command on {at} is too old for dial-stdio (18.09 or newer)"),
        )
    } else {
        (UnreachableReason::Refused, format!("ssh to {at}: {last}"))
    };
    Unreachable::new(reason, message)
}

/// A private unix socket that forwards each connection to a remote engine. Dropping it stops
/// listening and removes the socket; connections open through it end with their streams.
pub struct Tunnel {
    path: PathBuf,
    dial: Arc<std::sync::RwLock<Arc<Dial>>>,
    _dir: tempfile::TempDir,
    accept: tokio::task::JoinHandle<()>,
}

impl Tunnel {
    /// Listen in a new directory only this user may open.
    pub fn open(dial: Dial) -> std::io::Result<Self> {
        let base = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|d| d.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        let dir = tempfile::Builder::new().prefix("berth-engine-").tempdir_in(base)?;
        let path = dir.path().join("docker.sock");
        let listener = UnixListener::bind(&path)?;
        let dial = Arc::new(std::sync::RwLock::new(Arc::new(dial)));
        let current = dial.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut local, _)) = listener.accept().await {
                let dial = super::sync::read(&current).clone();
                tokio::spawn(async move {
                    match open(&dial).await {
                        Ok((mut remote, stderr)) => {
                            drop(stderr);
                            let _ = tokio::io::copy_bidirectional(&mut local, &mut remote).await;
                        }
                        Err(u) => tracing::debug!(message = u.message, "engine dial failed"),
                    }
                });
            }
        });
        Ok(Self { path, dial, _dir: dir, accept })
    }

    /// Dial the engine this way from the next connection on (TLS files read again, say).
    pub fn redial(&self, dial: Dial) {
        *super::sync::write(&self.dial) = Arc::new(dial);
    }

    /// The socket to give clients (`unix://` + this).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_like_the_cli() {
        assert_eq!(
            parse("unix:///var/run/docker.sock", false).unwrap(),
            Address::Unix("/var/run/docker.sock".into())
        );
        assert_eq!(
            parse("tcp://10.0.0.5", true).unwrap(),
            Address::Tcp { host: "10.0.0.5".into(), port: 2376 }
        );
        assert_eq!(
            parse("tcp://localhost", false).unwrap(),
            Address::Tcp { host: "localhost".into(), port: 2375 }
        );
        assert_eq!(
            parse("tcp://[::1]:2380/", true).unwrap(),
            Address::Tcp { host: "::1".into(), port: 2380 }
        );
        assert_eq!(
            parse("ssh://root@127.0.0.1:2222", false).unwrap(),
            Address::Ssh { user: Some("root".into()), host: "127.0.0.1".into(), port: Some(2222) }
        );
        assert_eq!(
            parse("ssh://build-box", false).unwrap(),
            Address::Ssh { user: None, host: "build-box".into(), port: None }
        );
        for bad in [
            "http://x",
            "tcp://",
            "tcp://h:port",
            "ssh://@h",
            "ssh://u@h/path",
            "ssh://-oProxyCommand=x",
            "ssh://u@h:99999",
            "unix://",
        ] {
            assert_eq!(
                parse(bad, false).unwrap_err().reason,
                UnreachableReason::InvalidHost,
                "{bad}"
            );
        }
    }

    #[test]
    fn plain_tcp_only_to_this_machine() {
        for host in ["127.0.0.1", "127.8.9.1", "::1", "localhost"] {
            assert!(is_loopback(host), "{host}");
            let a = Address::Tcp { host: host.into(), port: 2375 };
            assert!(matches!(dial_for(&a, None, None), Ok(Some(Dial::Tcp { tls: None, .. }))));
        }
        for host in ["10.0.0.5", "0.0.0.0", "example.com", "192.168.1.2"] {
            let a = Address::Tcp { host: host.into(), port: 2375 };
            let e = dial_for(&a, None, None).unwrap_err();
            assert_eq!(e.reason, UnreachableReason::Insecure, "{host}");
            assert!(e.message.contains("anyone who can reach"), "{}", e.message);
        }
    }

    #[test]
    fn ssh_runs_dial_stdio_with_port_user_and_no_prompt() {
        let t = SshTarget {
            user: Some("root".into()),
            host: "127.0.0.1".into(),
            port: Some(2222),
            config: None,
        };
        let a = t.args();
        let tail: Vec<&str> = a.iter().map(String::as_str).skip_while(|x| *x != "-l").collect();
        assert_eq!(
            tail,
            ["-l", "root", "-p", "2222", "--", "127.0.0.1", "docker", "system", "dial-stdio"]
        );
        assert!(a.windows(2).any(|w| w == ["-o", "BatchMode=yes"]));
    }

    #[test]
    fn ssh_failures_say_what_to_do() {
        let t = SshTarget { user: None, host: "h".into(), port: Some(2222), config: None };
        let r = |s: &str| ssh_failure(&t, s).reason;
        assert_eq!(
            r("@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@\nHost key verification failed.\n"),
            UnreachableReason::HostKeyChanged
        );
        assert_eq!(r("No ED25519 host key is known for [h]:2222 and you have requested strict checking.\nHost key verification failed.\n"), UnreachableReason::HostKeyUnknown);
        assert_eq!(r("root@h: Permission denied (password).\n"), UnreachableReason::SshAuth);
        assert!(ssh_failure(&t, "root@h: Permission denied (password).")
            .message
            .contains("only a password"));
        assert_eq!(r("root@h: Permission denied (publickey).\n"), UnreachableReason::SshAuth);
        assert_eq!(r("sh: 1: docker: not found\n"), UnreachableReason::DockerMissing);
        assert_eq!(
            r("ssh: connect to host h port 2222: Connection refused\n"),
            UnreachableReason::Refused
        );
        assert!(ssh_failure(&t, "ssh: connect to host h port 2222: Connection refused")
            .message
            .contains("Connection refused"));
    }

    #[test]
    fn verified_tls_needs_a_ca_and_readable_files() {
        let dir = tempfile::tempdir().unwrap();
        let files = TlsFiles::in_dir(dir.path(), true);
        assert_eq!(files, TlsFiles { verify: true, ..Default::default() });
        assert_eq!(client_config(&files).unwrap_err().reason, UnreachableReason::Tls);
        std::fs::write(dir.path().join("ca.pem"), "not a certificate").unwrap();
        let e = client_config(&TlsFiles::in_dir(dir.path(), true)).unwrap_err();
        assert_eq!(e.reason, UnreachableReason::Tls);
        assert!(e.message.contains("ca.pem"), "{}", e.message);
    }
}

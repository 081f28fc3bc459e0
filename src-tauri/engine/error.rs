//! One error type for everything the engine layer does. The `code` is what the UI branches on;
//! the message is for people and is never parsed.

use serde::Serialize;
use specta::Type;

/// What kind of failure this is. Add a code only when a consumer branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum ErrorCode {
    /// The engine cannot be reached (socket missing, refused, timed out, went away).
    Unreachable,
    /// The engine answered but we may not talk to it (socket permissions).
    PermissionDenied,
    /// The object named does not exist (any more).
    NotFound,
    /// The image a container is to be made from is not on this engine: the window offers to
    /// pull it.
    ImageMissing,
    /// The request clashes with the engine's state (name in use, object in use, ...).
    Conflict,
    /// The object is used by containers (a network they are attached to, a volume they mount):
    /// the window offers to free it, or names them.
    InUse,
    /// A host port the container asks for is taken by something else.
    PortInUse,
    /// What the user typed is not valid.
    InvalidInput,
    /// The engine refused or failed the request for another reason.
    Engine,
    /// No compose program is installed: the window says how to install one.
    ComposeMissing,
    /// A file on this machine could not be read or written (saving a log, ...).
    Io,
    /// A registry refused the credentials, or wants some and has none: the window offers to
    /// log in.
    AuthFailed,
    /// The registry has the repository but not the tag asked for.
    TagMissing,
    /// A registry did not answer (down, wrong address, no network).
    RegistryUnreachable,
    /// The user stopped it (a pull, a push, a build).
    Cancelled,
    /// A credential helper (`docker-credential-NAME`) is missing or failed.
    CredentialHelper,
}

/// An error as the UI sees it: a code to branch on and a sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct EngineError {
    pub code: ErrorCode,
    pub message: String,
}

impl EngineError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// A file on this machine that could not be read or written: `PermissionDenied` when that
    /// is why, else `Io`; the message starts with `doing` (for example the path).
    pub fn io(doing: impl std::fmt::Display, e: std::io::Error) -> Self {
        let code = match e.kind() {
            std::io::ErrorKind::PermissionDenied => ErrorCode::PermissionDenied,
            _ => ErrorCode::Io,
        };
        Self::new(code, format!("{doing}: {e}"))
    }
}

impl From<bollard::errors::Error> for EngineError {
    fn from(err: bollard::errors::Error) -> Self {
        use bollard::errors::Error as B;
        match &err {
            B::DockerResponseServerError { status_code, message } => {
                // The engine reports a taken host port only in its message (status 500); it is
                // the one failure Berth recognises by text.
                let code = match status_code {
                    _ if message.contains("port is already allocated")
                        || message.contains("address already in use") =>
                    {
                        ErrorCode::PortInUse
                    }
                    404 => ErrorCode::NotFound,
                    409 => ErrorCode::Conflict,
                    400 => ErrorCode::InvalidInput,
                    401 | 403 => ErrorCode::PermissionDenied,
                    _ => ErrorCode::Engine,
                };
                EngineError::new(code, message.clone())
            }
            B::SocketNotFoundError(path) => {
                EngineError::new(ErrorCode::Unreachable, format!("no Docker socket at {path}"))
            }
            B::RequestTimeoutError => {
                EngineError::new(ErrorCode::Unreachable, "the Docker engine did not answer in time")
            }
            B::HyperLegacyError { .. } | B::HyperResponseError { .. } | B::IOError { .. } => {
                match io_kind(&err) {
                    Some(std::io::ErrorKind::PermissionDenied) => EngineError::new(
                        ErrorCode::PermissionDenied,
                        format!("permission denied talking to the Docker engine: {err}"),
                    ),
                    _ => EngineError::new(
                        ErrorCode::Unreachable,
                        format!("lost the connection to the Docker engine: {err}"),
                    ),
                }
            }
            _ => EngineError::new(ErrorCode::Engine, err.to_string()),
        }
    }
}

/// What happened to one of several things an action was asked to remove (a prune, a project
/// taken down): its name, and why it is still there, if it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Removal {
    pub name: String,
    pub error: Option<EngineError>,
}

/// The I/O error kind buried in a bollard error, if the failure was at the transport level.
pub(crate) fn io_kind(err: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cur = e.source();
    }
    None
}

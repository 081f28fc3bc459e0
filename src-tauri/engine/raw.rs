//! A plain `GET` to the engine for the answers bollard's models no longer describe: its models
//! follow the newest API, and `/system/df` changed shape in 1.52 (older engines put volume sizes
//! in a top-level `Volumes` list, which bollard drops). HTTP/1.0, so the engine closes the
//! connection after one answer and no chunked body needs reading.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

use super::{EngineError, ErrorCode};

const LIMIT: Duration = Duration::from_secs(60);

pub(crate) fn lost(e: impl std::fmt::Display) -> EngineError {
    EngineError::new(
        ErrorCode::Unreachable,
        format!("lost the connection to the Docker engine: {e}"),
    )
}

fn garbled() -> EngineError {
    EngineError::new(ErrorCode::Engine, "the Docker engine sent an answer Berth cannot read")
}

/// `GET /v{api}{path}` over the unix socket at `socket`, as JSON.
pub async fn get_json(
    socket: &str,
    api: &str,
    path: &str,
) -> Result<serde_json::Value, EngineError> {
    let ask = async {
        let mut s = UnixStream::connect(socket).await.map_err(lost)?;
        let req = format!(
            "GET /v{api}{path} HTTP/1.0\r\nHost: docker\r\nAccept: application/json\r\n\r\n"
        );
        s.write_all(req.as_bytes()).await.map_err(lost)?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.map_err(lost)?;
        Ok::<_, EngineError>(buf)
    };
    let buf = tokio::time::timeout(LIMIT, ask).await.map_err(|_| late())??;
    parse_response(&buf)
}

fn late() -> EngineError {
    EngineError::new(ErrorCode::Unreachable, "the Docker engine did not answer in time")
}

/// The JSON body of an HTTP/1.x answer, or the engine's error for a status other than 2xx.
pub fn parse_response(buf: &[u8]) -> Result<serde_json::Value, EngineError> {
    let end = memchr::memmem::find(buf, b"\r\n\r\n").ok_or_else(garbled)?;
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| garbled())?;
    let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(garbled)?;
    let body = &buf[end + 4..];
    if (200..300).contains(&status) {
        return serde_json::from_slice(body).map_err(|_| garbled());
    }
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string))
        .unwrap_or_else(|| format!("the engine answered {status}"));
    Err(bollard::errors::Error::DockerResponseServerError { status_code: status, message }.into())
}

/// `POST /v{api}{path}` over the unix socket at `socket` with `headers`, handing each JSON line
/// of the streamed answer to `on_line` as it arrives (a push's progress, which bollard's model
/// reads without the layer ids). No time limit: a push takes as long as it takes; dropping the
/// future closes the connection, which stops the engine's work.
pub async fn post_stream(
    socket: &str,
    api: &str,
    path: &str,
    headers: &[(&str, String)],
    mut on_line: impl FnMut(serde_json::Value),
) -> Result<(), EngineError> {
    let mut req = format!("POST /v{api}{path} HTTP/1.0\r\nHost: docker\r\nContent-Length: 0\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    // A pull's head waits for the registry: the engine's own time limits apply.
    let (mut s, mut buf) = open(socket, &req, None).await?;
    let mut chunk = [0u8; 8192];
    loop {
        // Whole lines only; the rest waits for more bytes.
        let mut from = 0;
        while let Some(nl) = memchr::memchr(b'\n', &buf[from..]) {
            if let Ok(v) = serde_json::from_slice(&buf[from..from + nl]) {
                on_line(v);
            }
            from += nl + 1;
        }
        buf.drain(..from);
        let n = s.read(&mut chunk).await.map_err(lost)?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// `GET /v{api}{path}` over the unix socket at `socket`, for a body read as it comes: the
/// connection and the body's first bytes, or the engine's error (also when its answer does not
/// begin within a minute). The engine ends the body by closing the connection.
pub async fn get_stream(
    socket: &str,
    api: &str,
    path: &str,
) -> Result<(UnixStream, Vec<u8>), EngineError> {
    let req = format!("GET /v{api}{path} HTTP/1.0\r\nHost: docker\r\n\r\n");
    open(socket, &req, Some(LIMIT)).await
}

/// Send `req` and read the answer's head, within `limit` if one is given: the connection and
/// what came of the body, or the engine's error for a status other than 2xx.
async fn open(
    socket: &str,
    req: &str,
    limit: Option<Duration>,
) -> Result<(UnixStream, Vec<u8>), EngineError> {
    let head = head(socket, req);
    match limit {
        Some(limit) => tokio::time::timeout(limit, head).await.map_err(|_| late())?,
        None => head.await,
    }
}

async fn head(socket: &str, req: &str) -> Result<(UnixStream, Vec<u8>), EngineError> {
    let mut s = UnixStream::connect(socket).await.map_err(lost)?;
    s.write_all(req.as_bytes()).await.map_err(lost)?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = s.read(&mut chunk).await.map_err(lost)?;
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = memchr::memmem::find(&buf, b"\r\n\r\n") {
            let status: u16 = std::str::from_utf8(&buf[..end])
                .ok()
                .and_then(|h| h.split(' ').nth(1)?.parse().ok())
                .unwrap_or(0);
            if !(200..300).contains(&status) {
                if n > 0 {
                    s.read_to_end(&mut buf).await.map_err(lost)?;
                }
                return Err(parse_response(&buf).err().unwrap_or_else(garbled));
            }
            buf.drain(..end + 4);
            return Ok((s, buf));
        }
        if n == 0 {
            return Err(garbled());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_errors() {
        let ok =
            parse_response(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":1}")
                .unwrap();
        assert_eq!(ok["a"], 1);
        let e =
            parse_response(b"HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"no such\"}").unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::NotFound, "no such"));
        assert_eq!(parse_response(b"garbage").unwrap_err().code, ErrorCode::Engine);
        assert_eq!(
            parse_response(b"HTTP/1.0 200 OK\r\n\r\n{").unwrap_err().code,
            ErrorCode::Engine
        );
    }

    #[tokio::test]
    async fn an_engine_that_never_answers_is_given_up_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("engine.sock");
        let listener = tokio::net::UnixListener::bind(&path).unwrap();
        // Accepts the connection and holds it, saying nothing.
        let held = tokio::spawn(async move {
            let (conn, _) = listener.accept().await.unwrap();
            std::future::pending::<()>().await;
            drop(conn);
        });
        let req = "GET /v1.41/containers/x/logs HTTP/1.0\r\n\r\n";
        let limit = Duration::from_millis(200);
        let e = open(path.to_str().unwrap(), req, Some(limit)).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Unreachable);
        assert!(!held.is_finished(), "the silent engine went away");
        held.abort();
    }
}

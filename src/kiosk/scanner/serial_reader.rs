//! A serial (CDC-ACM) scanner: lines of text on `/dev/ttyACM0` or similar.
//!
//! The port is opened at start-up so a wrong path fails clearly; if the scanner is unplugged the
//! reader waits and opens it again.

use std::io::Read;
use std::thread::JoinHandle;
use std::time::Duration;

use serialport::SerialPort;
use thiserror::Error;

use super::{KeyboardWedge, ScanSink};

#[derive(Debug, Error)]
#[error("cannot open the serial scanner {port}: {source}")]
pub struct SerialError {
    port: String,
    source: serialport::Error,
}

fn open(port: &str, baud: u32) -> Result<Box<dyn SerialPort>, SerialError> {
    serialport::new(port, baud)
        .timeout(Duration::from_millis(500))
        .open()
        .map_err(|source| SerialError {
            port: port.to_owned(),
            source,
        })
}

/// Opens the port now, then reads it on its own thread, sending each line to `sink`.
pub fn start(port: &str, baud: u32, sink: ScanSink) -> Result<JoinHandle<()>, SerialError> {
    let connection = open(port, baud)?;
    tracing::info!(port, baud, "serial scanner open");
    let port = port.to_owned();
    Ok(std::thread::Builder::new()
        .name("scanner-serial".into())
        .spawn(move || read_forever(&port, baud, connection, sink))
        .expect("spawning a thread"))
}

fn read_forever(port: &str, baud: u32, mut connection: Box<dyn SerialPort>, sink: ScanSink) {
    let started = std::time::Instant::now();
    let mut wedge = KeyboardWedge::default();
    let mut buffer = [0u8; 256];
    loop {
        match connection.read(&mut buffer) {
            Ok(0) => {}
            Ok(n) => {
                let text = String::from_utf8_lossy(&buffer[..n]);
                for scan in wedge.key(&text, started.elapsed().as_millis() as u64) {
                    sink(scan);
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {}
            Err(error) => {
                tracing::warn!(%error, port, "the serial scanner stopped; reopening");
                connection = reopen(port, baud);
            }
        }
    }
}

fn reopen(port: &str, baud: u32) -> Box<dyn SerialPort> {
    loop {
        std::thread::sleep(Duration::from_secs(2));
        if let Ok(connection) = open(port, baud) {
            return connection;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_port_is_named() {
        let sink: ScanSink = std::sync::Arc::new(|_| {});
        let error = start("/dev/congelo-no-such-port", 9600, sink).unwrap_err();
        assert!(error.to_string().contains("/dev/congelo-no-such-port"));
    }
}

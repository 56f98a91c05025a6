//! The real `congelo-hub serve` in a child process, on 127.0.0.1:0 with its own settings file: for
//! tests that stop, kill or restore the hub under its kiosks.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct HubProcess {
    pub child: Child,
    pub addr: SocketAddr,
}

impl HubProcess {
    /// Starts the hub and waits for its "listening on" line, which names the port it got.
    pub fn spawn(config: &Path) -> HubProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_congelo-hub"))
            .args(["serve", "--config"])
            .arg(config)
            .env("CONGELO_HUB_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn congelo-hub");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the listening line");
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line «{line}»"))
            .parse()
            .expect("address");
        HubProcess { child, addr }
    }

    /// SIGTERM, as `systemctl stop` sends, and a clean exit.
    pub fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
        assert!(self.child.wait().expect("wait").success());
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A settings file in `dir` for a hub on `database`, listening on a free loopback port; `extra`
/// is appended as more TOML lines.
pub fn write_config(dir: &Path, database: &Path, extra: &str) -> PathBuf {
    let path = dir.join("hub.toml");
    let text = format!(
        "listen = \"127.0.0.1:0\"\ndatabase = \"{}\"\n{extra}",
        database.display()
    );
    std::fs::write(&path, text).expect("config");
    path
}

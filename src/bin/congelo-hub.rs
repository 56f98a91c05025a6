//! `congelo-hub`: the collective's server. Kiosks push events to it and pull configuration from it.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "congelo-hub",
    version,
    about = "Congélo hub: the collective's server"
)]
struct Cli {}

fn main() -> ExitCode {
    let _cli = Cli::parse();
    eprintln!("congelo-hub: the hub's commands are not built yet");
    ExitCode::from(2)
}

//! `yehua-hub`: the headquarters server. Serves the built app at `/`; the
//! CouchDB-compatible sync API under `/couch/` follows in the hub issue.
//! Owns the command line and the HTTP listener; knows nothing of IndexedDB.

mod serve;

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "yehua-hub", version, about = "夜话 · Yehua hub")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (and, later, the sync API).
    Serve {
        /// Folder for the hub's data.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// The built app (trunk's dist/).
        #[arg(long, default_value = "dist")]
        app: PathBuf,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match Cli::parse().command {
        Command::Serve { data, listen, app } => match serve::run(&data, listen, &app).await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("yehua-hub: {e}");
                std::process::ExitCode::FAILURE
            }
        },
    }
}

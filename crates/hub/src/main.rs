//! `yehua-hub`: the headquarters server. `serve` runs the app and the CouchDB-compatible
//! sync API; `station add` and `user add` manage accounts; `check` verifies the database
//! file; `import` merges export files; `report` prints a month's figures. Owns the command line only; everything else is in the `hub` library.

use clap::{Parser, Subcommand, ValueEnum};
use hub::couch::ApiConfig;
use hub::serve::{ConnLimits, ServeConfig};
use hub::store::{accounts::Station, Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "yehua-hub", version, about = "夜话 · Yehua hub")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app at / and the sync API at /couch/.
    Serve {
        /// Folder for the hub's data.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Address to listen on (port 0: any free port, printed on start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// The built app (trunk's dist/).
        #[arg(long, default_value = "dist")]
        app: PathBuf,
        /// An origin allowed to call the API from a browser (repeatable).
        #[arg(long = "cors-origin")]
        cors_origins: Vec<String>,
        /// An extra place the app may connect to, e.g. a CouchDB URL (repeatable).
        #[arg(long = "connect-src")]
        connect_src: Vec<String>,
        /// The largest request body accepted, in bytes.
        #[arg(long, default_value_t = ApiConfig::default().max_body)]
        max_body: usize,
        /// Seconds a client has to send a request's headers; an idle kept-alive
        /// connection is closed after as long.
        #[arg(long, default_value_t = ConnLimits::default().header_timeout.as_secs(),
              value_parser = clap::value_parser!(u64).range(1..))]
        header_timeout: u64,
        /// Connections served at once (lowered to fit the open-file limit); more wait.
        #[arg(long, default_value_t = ConnLimits::default().max_connections,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        max_connections: usize,
        /// The address of a reverse proxy in front of the hub (repeatable): its
        /// X-Forwarded-For names the client for the login limit, and its
        /// X-Forwarded-Proto: https makes the session cookie Secure.
        #[arg(long = "trusted-proxy")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// The largest answer listing documents (_bulk_get, _all_docs, _changes), in bytes.
        #[arg(long, default_value_t = ApiConfig::default().max_answer)]
        max_answer: usize,
        /// The largest attachment (a photo) accepted, in bytes; larger ones are a 413.
        #[arg(long, default_value_t = ApiConfig::default().max_attachment)]
        max_attachment: usize,
    },
    /// Manage stations.
    Station {
        #[command(subcommand)]
        command: StationCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import export files (yehua-<station>-<date>.json): all are checked before any is written.
    Import {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder for the hub's data.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
    /// Print a month's figures per station, summed up the station tree.
    Report {
        /// The month, YYYY-MM (UTC+8).
        #[arg(long)]
        month: String,
        /// Only this station and the stations below it.
        #[arg(long)]
        station: Option<String>,
        /// Print CSV (UTF-8 with BOM, for Excel and WPS) instead of a tab-separated table.
        #[arg(long)]
        csv: bool,
        /// Folder for the hub's data.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
    /// Check the database file with SQLite's integrity check, every attachment's bytes
    /// against their digest, and that every attachment stub has its bytes.
    Check {
        /// Folder for the hub's data.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

#[derive(Subcommand)]
enum StationCommand {
    /// Add a station and its database station_<CODE>.
    Add {
        /// The administrative code, e.g. 330106001.
        code: String,
        /// The station's name.
        #[arg(long)]
        name: String,
        /// The code of the station above it.
        #[arg(long)]
        parent: Option<String>,
        /// The station's level.
        #[arg(long, value_enum, default_value_t = Level::Village)]
        level: Level,
        /// Folder for the hub's data.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user (or replace one); the password is read from standard input.
    Add {
        /// Login name.
        name: String,
        /// The user's station code.
        #[arg(long)]
        station: String,
        /// cadre, hq or admin.
        #[arg(long, default_value = "cadre")]
        role: String,
        /// Folder for the hub's data.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Village,
    Township,
    County,
    City,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Village => "village",
            Level::Township => "township",
            Level::County => "county",
            Level::City => "city",
        }
    }
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("yehua-hub: {e}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve {
            data,
            listen,
            app,
            cors_origins,
            connect_src,
            max_body,
            header_timeout,
            max_connections,
            trusted_proxies,
            max_answer,
            max_attachment,
        } => {
            let cfg = ServeConfig {
                data,
                listen,
                app: Some(app),
                cors_origins,
                connect_src,
                api: ApiConfig {
                    max_body,
                    max_answer,
                    max_attachment,
                    trusted_proxies,
                    ..ApiConfig::default()
                },
                conn: ConnLimits {
                    header_timeout: std::time::Duration::from_secs(header_timeout),
                    max_connections,
                },
            };
            // The request log and the server's warnings, one line each on stderr.
            tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_target(false)
                .with_ansi(false)
                .init();
            let rt = match tokio::runtime::Runtime::new() {
                Ok(rt) => rt,
                Err(e) => return fail(e),
            };
            match rt.block_on(hub::serve::run(cfg)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Station {
            command:
                StationCommand::Add {
                    code,
                    name,
                    parent,
                    level,
                    data,
                },
        } => {
            let station = Station {
                code: code.clone(),
                name,
                parent,
                level: level.as_str().into(),
            };
            let done = Store::open(&data)
                .map_err(hub::admin::AdminError::from)
                .and_then(|s| s.write_blocking(|tx| hub::admin::add_station(tx, &station)));
            match done {
                Ok(()) => {
                    println!(
                        "yehua-hub: station {code} ready (database {})",
                        hub::admin::station_db(&code)
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    station,
                    role,
                    data,
                },
        } => {
            let mut input = String::new();
            if let Err(e) = std::io::stdin().read_line(&mut input) {
                return fail(e);
            }
            let password = input.lines().next().unwrap_or_default();
            let done = Store::open(&data)
                .map_err(hub::admin::AdminError::from)
                .and_then(|s| hub::admin::add_user(&s, &name, &station, &role, password));
            match done {
                Ok(new) => {
                    let what = if new { "added" } else { "updated" };
                    println!("yehua-hub: user {name} {what} (station {station}, role {role})");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Import { files, data } => {
            let done = Store::open(&data)
                .map_err(hub::import::ImportCmdError::from)
                .and_then(|s| hub::import::import_files(&s, &files));
            match done {
                Ok(reports) => {
                    for r in reports {
                        println!("{}: station {}: {}", r.path.display(), r.station, r.report);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Report {
            month,
            station,
            csv,
            data,
        } => {
            let done = Store::open(&data)
                .map_err(hub::report::ReportError::from)
                .and_then(|s| hub::report::report(&s, &month, station.as_deref()));
            match done {
                Ok(rows) if csv => {
                    print!("{}", model::rollup::to_csv(&rows));
                    ExitCode::SUCCESS
                }
                Ok(rows) => {
                    println!("{}", model::rollup::HEADERS.join("\t"));
                    for r in &rows {
                        println!("{}", model::rollup::cells(r).join("\t"));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Check { data } => match Store::open(&data).and_then(|s| s.integrity_check()) {
            Ok(Ok(())) => {
                println!("ok");
                ExitCode::SUCCESS
            }
            Ok(Err(problems)) => {
                for p in problems {
                    eprintln!("{p}");
                }
                ExitCode::FAILURE
            }
            Err(e) => fail(e),
        },
    }
}

//! The soak's memory figures: this process's resident set, read from `/proc/self/status` (Linux).
//!
//! `VmHWM` is the peak since the process started; writing `5` to `/proc/self/clear_refs` resets it
//! (Linux 4.0 and later), which gives the peak of each stretch between two rows as well.

/// One reading, in kB as `/proc` counts them.
#[derive(Debug, Clone, Copy, Default)]
struct Reading {
    sales: usize,
    sign_ins: usize,
    rss: u64,
    anon: u64,
    file: u64,
    /// Peak since the previous row (or since the start when the peak cannot be reset).
    interval_peak: u64,
    /// Peak since the process started.
    hwm: u64,
}

pub struct Memory {
    rows: Vec<Reading>,
    /// The highest peak of every stretch: the process's peak even once resets begin.
    peak: u64,
    resettable: bool,
}

impl Memory {
    pub fn new() -> Memory {
        Memory {
            rows: Vec::new(),
            peak: 0,
            resettable: true,
        }
    }

    /// Reads the figures after `sales` sales and `sign_ins` sign-ins, prints them as a row, and
    /// starts the next stretch's peak.
    pub fn row(&mut self, sales: usize, sign_ins: usize) {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let interval_peak = kb(&status, "VmHWM:");
        self.peak = self.peak.max(interval_peak);
        let reading = Reading {
            sales,
            sign_ins,
            rss: kb(&status, "VmRSS:"),
            anon: kb(&status, "RssAnon:"),
            file: kb(&status, "RssFile:"),
            interval_peak,
            hwm: self.peak,
        };
        if self.rows.is_empty() {
            println!("{}", HEADER);
        }
        println!("{}", line(&reading));
        self.rows.push(reading);
        if self.resettable {
            self.resettable = std::fs::write("/proc/self/clear_refs", "5").is_ok();
            if !self.resettable {
                println!(
                    "(the kernel does not reset the peak: each row's peak is since the start)"
                );
            }
        }
    }

    pub fn print_table(&self) {
        println!("{HEADER}");
        for reading in &self.rows {
            println!("{}", line(reading));
        }
    }

    /// The final figures and whether the resident set stayed flat and under `goal_kb` from the
    /// 1 000th sale on.
    pub fn print_summary(&self, goal_kb: u64) {
        let Some(last) = self.rows.last() else {
            return;
        };
        println!(
            "final: VmRSS {:.1} MB, VmHWM {:.1} MB",
            mb(last.rss),
            mb(last.hwm)
        );
        let settled: Vec<&Reading> = self.rows.iter().filter(|r| r.sales >= 1_000).collect();
        let (Some(low), Some(high)) = (
            settled.iter().map(|r| r.rss).min(),
            settled.iter().map(|r| r.interval_peak).max(),
        ) else {
            return;
        };
        let rss_high = settled.iter().map(|r| r.rss).max().unwrap_or(low);
        println!(
            "from the 1 000th sale on: VmRSS between {:.1} and {:.1} MB (spread {:.1} MB), peak \
             {:.1} MB; goal: flat and under {:.0} MB: {}",
            mb(low),
            mb(rss_high),
            mb(rss_high - low),
            mb(high),
            goal_kb as f64 * 1024.0 / 1e6,
            if high < goal_kb { "met" } else { "NOT met" }
        );
    }
}

const HEADER: &str =
    "   sales  sign-ins   VmRSS MB  (anon   file)  peak since last row MB   VmHWM MB";

fn line(r: &Reading) -> String {
    format!(
        "{:>8}  {:>8}   {:>8.1}  ({:>5.1} {:>5.1})  {:>22.1}   {:>8.1}",
        r.sales,
        r.sign_ins,
        mb(r.rss),
        mb(r.anon),
        mb(r.file),
        mb(r.interval_peak),
        mb(r.hwm)
    )
}

/// A `/proc/self/status` field in kB (0 if absent).
fn kb(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Megabytes (10⁶ bytes) from the kibibytes `/proc` counts.
fn mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / 1e6
}

//! Hub benchmarks (written below).
fn main() {}

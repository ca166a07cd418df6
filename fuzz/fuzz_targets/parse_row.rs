//! Fuzz target: the first byte picks a built-in profile, the rest is a file body parsed
//! under it. Run with `cargo fuzz run parse_row --sanitizer none` from `fuzz/`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = linesight_ingest::fuzzing::parse_bytes(data);
});

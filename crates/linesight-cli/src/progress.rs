//! Progress bars: the terminal side of `linesight_model::progress::Progress`.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use linesight_model::progress::{Progress, Unit};

/// Draws one bar per stage on stderr (hidden when stderr is not a terminal or `--quiet`).
pub(crate) struct Bars {
    current: Mutex<Option<ProgressBar>>,
    hidden: bool,
}

impl Bars {
    pub(crate) fn new(quiet: bool) -> Self {
        Self {
            current: Mutex::new(None),
            hidden: quiet,
        }
    }

    /// Ends the current bar, leaving its last line on screen.
    pub(crate) fn finish(&self) {
        if let Some(bar) = self.current.lock().expect("progress lock").take() {
            bar.finish();
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.finish();
    }
}

fn style(total: bool, unit: Unit) -> ProgressStyle {
    let (pos, rate) = match unit {
        Unit::Bytes => ("{bytes}/{total_bytes}", "{binary_bytes_per_sec}"),
        Unit::Rows => ("{human_pos}/{human_len} rows", "{rate}"),
        Unit::Days => ("day {pos}/{len}", "{rate}"),
        Unit::Items => ("{human_pos}/{human_len}", "{rate}"),
    };
    let template = if total {
        format!("{{spinner}} {{prefix:<22}} [{{bar:30}}] {pos} {rate} eta {{eta}}")
    } else {
        let pos = pos.split('/').next().unwrap_or("{pos}");
        format!("{{spinner}} {{prefix:<22}} {pos} {rate} {{elapsed}}")
    };
    ProgressStyle::with_template(&template)
        .expect("valid progress template")
        .with_key("rate", |state: &ProgressState, w: &mut dyn fmt::Write| {
            let _ = write!(w, "{}/s", compact(state.per_sec()));
        })
        .progress_chars("=> ")
}

/// `1234567.8` → `1.2M`: rates are read at a glance, not to the unit.
fn compact(x: f64) -> String {
    match x {
        x if x >= 1e9 => format!("{:.1}G", x / 1e9),
        x if x >= 1e6 => format!("{:.1}M", x / 1e6),
        x if x >= 1e3 => format!("{:.1}k", x / 1e3),
        x => format!("{x:.0}"),
    }
}

impl Progress for Bars {
    fn stage(&self, name: &str, total: Option<u64>, unit: Unit) {
        let mut current = self.current.lock().expect("progress lock");
        if let Some(bar) = current.take() {
            bar.finish();
        }
        let bar = match total {
            Some(n) => ProgressBar::new(n),
            None => ProgressBar::no_length(),
        };
        if self.hidden {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_style(style(total.is_some(), unit));
        bar.set_prefix(name.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        *current = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.current.lock().expect("progress lock").as_ref() {
            bar.inc(n);
        }
    }
}

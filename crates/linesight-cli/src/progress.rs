//! Progress bars: the terminal side of `linesight_model::progress::Progress`.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
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
        Unit::Rows => ("{human_pos}/{human_len} rows", "{per_sec}"),
        Unit::Days => ("day {pos}/{len}", "{per_sec}"),
        Unit::Items => ("{human_pos}/{human_len}", "{per_sec}"),
    };
    let template = if total {
        format!("{{spinner}} {{prefix:<22}} [{{bar:30}}] {pos} {rate} eta {{eta}}")
    } else {
        let pos = pos.split('/').next().unwrap_or("{pos}");
        format!("{{spinner}} {{prefix:<22}} {pos} {rate} {{elapsed}}")
    };
    ProgressStyle::with_template(&template)
        .expect("valid progress template")
        .progress_chars("=> ")
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

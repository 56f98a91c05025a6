//! The cold chain: a reading a minute, stored, fed to the pure [`ColdChainMonitor`]; alarms
//! recorded when what the monitor says differs from what the database holds.
//!
//! At start-up the monitor is rebuilt from the stored samples of the last hours, so an excursion
//! that began before a power cut goes on counting (a gap in the samples counts as warm if the
//! freezer comes back warm). Comparing the monitor with the recorded alarm state — rather than only
//! reacting to the monitor's events — is what makes a restart safe: an excursion already raised is
//! not raised again, one that became due while the kiosk was off is raised at the first reading,
//! and a write refused by a full disk is retried at the next minute.

use std::time::Duration;

use super::HardwareEvent;
use super::run::Ctx;
use crate::domain::cold_chain::{ColdChainMonitor, ColdEvent, ColdRules};
use crate::domain::config::Thresholds;
use crate::domain::event::{Alarm, AlarmKind};
use crate::hardware::{BuzzPattern, HardwareError, TemperatureProbe};

pub(super) struct ColdWatch {
    probe: Option<Box<dyn TemperatureProbe>>,
    rules: ColdRules,
    monitor: ColdChainMonitor,
    restore_window: Duration,
    /// The warmest reading of the excursion under way.
    peak: Option<i32>,
    /// The probe has been silent past the monitor's timeout.
    probe_lost: bool,
    /// What the database says about the two alarms.
    excursion_recorded: bool,
    probe_lost_recorded: bool,
    /// The last problem logged, so a dead probe is not logged every minute.
    last_problem: Option<String>,
}

fn rules(thresholds: &Thresholds) -> ColdRules {
    ColdRules::new(thresholds.max_millicelsius, thresholds.excursion_minutes)
}

impl ColdWatch {
    pub fn new(
        ctx: &mut Ctx,
        probe: Option<Box<dyn TemperatureProbe>>,
        restore_window: Duration,
    ) -> Result<ColdWatch, HardwareError> {
        let rules = rules(&ctx.thresholds);
        let probe_lost_recorded = ctx.store.alarm_raised(AlarmKind::ProbeLost)?;
        let mut watch = ColdWatch {
            probe,
            rules,
            monitor: ColdChainMonitor::new(rules),
            restore_window,
            peak: None,
            probe_lost: probe_lost_recorded,
            excursion_recorded: ctx.store.alarm_raised(AlarmKind::ColdChain)?,
            probe_lost_recorded,
            last_problem: None,
        };
        watch.restore(ctx)?;
        Ok(watch)
    }

    /// Rebuilds the monitor from the stored samples (start-up, or new thresholds).
    fn restore(&mut self, ctx: &mut Ctx) -> Result<(), HardwareError> {
        let window = (self.restore_window.as_secs() as i64).max(2 * self.rules.max_warm_seconds);
        let now_s = ctx.clock.now().timestamp();
        let samples = ctx.store.temperatures_since(now_s - window)?;
        self.monitor = ColdChainMonitor::restore(self.rules, &samples);
        self.peak = samples
            .iter()
            .map(|&(_, mc)| mc)
            .filter(|&mc| mc > self.rules.max_millicelsius)
            .max()
            .filter(|_| self.monitor.in_excursion());
        if let Some(&(at_s, mc)) = samples.last() {
            let at = chrono::DateTime::from_timestamp(at_s, 0).unwrap_or_default();
            ctx.update(|s| s.temperature = Some((at, mc)));
        }
        Ok(())
    }

    /// The minute's reading. Without a probe there is no cold-chain watch at all.
    pub fn sample(&mut self, ctx: &mut Ctx) {
        if self.probe.is_none() {
            return;
        }
        self.follow_thresholds(ctx);
        let at = ctx.clock.now();
        let events = match self.read() {
            Ok(millicelsius) => self.reading(ctx, at, millicelsius),
            Err(error) => {
                let message = error.to_string();
                if self.last_problem.as_ref() != Some(&message) {
                    tracing::warn!("{message}");
                    self.last_problem = Some(message);
                }
                self.monitor.no_reading(at.timestamp())
            }
        };
        for event in events {
            self.cold_event(ctx, event);
        }
        self.reconcile(ctx);
    }

    fn read(&mut self) -> Result<i32, HardwareError> {
        match self.probe.as_mut() {
            Some(probe) => probe.read_millicelsius(),
            None => Err(HardwareError::WorkerStopped),
        }
    }

    fn reading(
        &mut self,
        ctx: &mut Ctx,
        at: chrono::DateTime<chrono::Utc>,
        millicelsius: i32,
    ) -> Vec<ColdEvent> {
        self.last_problem = None;
        if let Err(error) = ctx.store.record_temperature(at.timestamp(), millicelsius) {
            ctx.fault("storing a temperature sample", error);
        }
        ctx.update(|s| s.temperature = Some((at, millicelsius)));
        ctx.event(HardwareEvent::Temperature { at, millicelsius });
        let events = self.monitor.sample(at.timestamp(), millicelsius);
        self.probe_lost = false;
        if self.monitor.in_excursion() {
            self.peak = Some(self.peak.map_or(millicelsius, |p| p.max(millicelsius)));
        }
        events
    }

    fn cold_event(&mut self, ctx: &mut Ctx, event: ColdEvent) {
        match event {
            ColdEvent::ExcursionStarted {
                peak_millicelsius, ..
            } => {
                self.peak = Some(
                    self.peak
                        .map_or(peak_millicelsius, |p| p.max(peak_millicelsius)),
                );
            }
            ColdEvent::ExcursionEnded {
                peak_millicelsius, ..
            } => {
                self.peak = Some(
                    self.peak
                        .map_or(peak_millicelsius, |p| p.max(peak_millicelsius)),
                );
            }
            ColdEvent::ProbeLost { .. } => {
                self.probe_lost = true;
                ctx.event(HardwareEvent::ProbeLost);
            }
            ColdEvent::ProbeBack { .. } => ctx.event(HardwareEvent::ProbeBack),
        }
    }

    /// New thresholds from the hub: rebuild the monitor from the stored samples.
    fn follow_thresholds(&mut self, ctx: &mut Ctx) {
        let rules = rules(&ctx.thresholds);
        if rules != self.rules {
            self.rules = rules;
            if let Err(error) = self.restore(ctx) {
                ctx.fault("applying new cold-chain thresholds", error);
            }
        }
    }

    /// Records what the database does not know yet.
    fn reconcile(&mut self, ctx: &mut Ctx) {
        let excursion = self.monitor.in_excursion();
        if excursion != self.excursion_recorded {
            self.record_excursion(ctx, excursion);
        }
        if self.probe_lost != self.probe_lost_recorded {
            let alarm = Alarm {
                kind: AlarmKind::ProbeLost,
                raised: self.probe_lost,
                at: ctx.clock.now(),
                lots: Vec::new(),
                peak_millicelsius: None,
            };
            if ctx.record(&alarm) {
                self.probe_lost_recorded = self.probe_lost;
            }
        }
        ctx.update(|s| {
            s.excursion = excursion;
            s.probe_lost = self.probe_lost;
        });
    }

    fn record_excursion(&mut self, ctx: &mut Ctx, raised: bool) {
        let lots = if raised {
            self.lots_in_freezer(ctx)
        } else {
            Vec::new()
        };
        let alarm = Alarm {
            kind: AlarmKind::ColdChain,
            raised,
            at: ctx.clock.now(),
            lots: lots.clone(),
            peak_millicelsius: self.peak,
        };
        if !ctx.record(&alarm) {
            return;
        }
        self.excursion_recorded = raised;
        let peak_millicelsius = self.peak;
        if !raised {
            self.peak = None;
            ctx.event(HardwareEvent::ExcursionEnded { peak_millicelsius });
            return;
        }
        ctx.buzzer.play(BuzzPattern::Alarm);
        ctx.event(HardwareEvent::ExcursionStarted {
            peak_millicelsius,
            lots,
        });
        let stop_sales = ctx.thresholds.stop_sales_on_excursion;
        let hold = ctx.store.cold_chain_hold().ok().flatten();
        ctx.update(|s| {
            s.hold = hold;
            s.stop_sales = stop_sales;
        });
        ctx.event(HardwareEvent::ColdChainHold {
            held: true,
            stop_sales,
        });
    }

    /// The lots with stock in the freezer now (packs of unknown lot are not named).
    fn lots_in_freezer(&self, ctx: &mut Ctx) -> Vec<String> {
        match ctx.store.stock_levels() {
            Ok(levels) => {
                let mut lots: Vec<String> = levels
                    .into_iter()
                    .filter(|l| l.level > 0)
                    .filter_map(|l| l.lot)
                    .collect();
                lots.sort();
                lots.dedup();
                lots
            }
            Err(error) => {
                ctx.fault("reading the lots in the freezer", error);
                Vec::new()
            }
        }
    }

    /// Staff checked the freezer: record the cleared alarm and lift the hold.
    pub fn clear_hold(&mut self, ctx: &mut Ctx) -> Result<bool, HardwareError> {
        let at = ctx.clock.now();
        let cleared = ctx.store.clear_cold_chain_hold(at)?.is_some();
        if cleared {
            ctx.update(|s| {
                s.hold = None;
                s.stop_sales = false;
            });
            ctx.event(HardwareEvent::ColdChainHold {
                held: false,
                stop_sales: false,
            });
        }
        Ok(cleared)
    }
}

//! The worker's loop: what is due when, commands in, the LED out.
//!
//! [`Worker::poll`] runs whatever is due at the clock's current time (the door every 100 ms, the
//! probe every minute, pruning once a day; missed ticks are skipped, not caught up) and says how
//! long until the next thing is due. The thread sleeps that long or until a command arrives. Tests
//! call `poll` directly on a manual clock, so the whole worker runs in simulated time.

use std::fmt::Display;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::cold::ColdWatch;
use super::door::DoorWatch;
use super::{Command, EventSink, HardwareEvent, HardwareStatus, SAMPLE_EVERY, WorkerOptions};
use crate::domain::config::Thresholds;
use crate::domain::event::Alarm;
use crate::hardware::{Buzzer, Clock, Hardware, HardwareError, LedState, StatusLed};
use crate::store::KioskStore;

/// What the door and cold-chain watches share: the database, the clock, the way out.
pub(super) struct Ctx {
    pub store: KioskStore,
    pub clock: Arc<dyn Clock>,
    pub emit: EventSink,
    pub status: Arc<Mutex<HardwareStatus>>,
    pub buzzer: Arc<dyn Buzzer>,
    /// The collective's limits, re-read from the database every minute (the hub may change them).
    pub thresholds: Thresholds,
}

impl Ctx {
    pub fn event(&self, event: HardwareEvent) {
        (self.emit)(event);
    }

    pub fn update(&self, change: impl FnOnce(&mut HardwareStatus)) {
        change(&mut self.status.lock().unwrap_or_else(|e| e.into_inner()));
    }

    pub fn status(&self) -> HardwareStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Something failed: log it, show it, tell the kiosk. The worker carries on.
    pub fn fault(&self, what: &str, error: impl Display) {
        let message = format!("{what}: {error}");
        tracing::error!("{message}");
        self.update(|s| s.last_fault = Some(message.clone()));
        self.event(HardwareEvent::Fault { message });
    }

    /// Records an alarm; false (and a fault) when the database refused it, so the caller keeps
    /// its recorded state and tries again at the next check.
    pub fn record(&mut self, alarm: &Alarm) -> bool {
        match self.store.record_alarm(alarm) {
            Ok(seq) => {
                tracing::warn!(%seq, ?alarm, "alarm recorded");
                true
            }
            Err(error) => {
                self.fault("recording an alarm", error);
                false
            }
        }
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.monotonic_ms()
    }
}

/// The worker: owns the devices and the database connection.
pub(crate) struct Worker {
    ctx: Ctx,
    door: DoorWatch,
    cold: ColdWatch,
    led: Box<dyn StatusLed>,
    requested_led: LedState,
    shown_led: Option<LedState>,
    options: WorkerOptions,
    next_door_ms: u64,
    next_sample_ms: u64,
    next_prune_ms: u64,
}

impl Worker {
    /// Locks the lock, restores the cold-chain monitor from the stored samples and the recorded
    /// alarms, and is ready to poll (the first poll samples at once).
    pub fn new(
        store: KioskStore,
        hardware: Hardware,
        options: WorkerOptions,
        emit: EventSink,
        status: Arc<Mutex<HardwareStatus>>,
        clock: Arc<dyn Clock>,
    ) -> Result<Worker, HardwareError> {
        let Hardware {
            lock,
            door,
            buzzer,
            led,
            probe,
            simulation: _,
        } = hardware;
        let thresholds = store.thresholds()?;
        let mut ctx = Ctx {
            store,
            clock,
            emit,
            status,
            buzzer,
            thresholds,
        };
        let door = DoorWatch::new(&mut ctx, door, lock, &options)?;
        let cold = ColdWatch::new(&mut ctx, probe, options.restore_window)?;
        let now = ctx.now_ms();
        Ok(Worker {
            ctx,
            door,
            cold,
            led,
            requested_led: LedState::Ok,
            shown_led: None,
            options,
            next_door_ms: now,
            next_sample_ms: now,
            next_prune_ms: now,
        })
    }

    /// Does what is due now; returns how long until the next thing is due.
    pub fn poll(&mut self) -> Duration {
        let now = self.ctx.now_ms();
        if now >= self.next_sample_ms {
            self.refresh_thresholds();
            self.refresh_hold();
            self.cold.sample(&mut self.ctx);
            self.next_sample_ms = now + SAMPLE_EVERY.as_millis() as u64;
        }
        if now >= self.next_prune_ms {
            self.prune();
            self.next_prune_ms = now + self.options.prune_every.as_millis() as u64;
        }
        if now >= self.next_door_ms {
            self.door.poll(&mut self.ctx, now);
            self.next_door_ms = now + self.options.door_poll.as_millis() as u64;
        }
        self.show_led();
        let next = self
            .next_door_ms
            .min(self.next_sample_ms)
            .min(self.next_prune_ms);
        Duration::from_millis(next.saturating_sub(now))
    }

    /// Carries out a command (all but `Shutdown`, which the loop handles).
    pub fn command(&mut self, command: Command) {
        match command {
            Command::UnlockForSale(sale) => {
                let now = self.ctx.now_ms();
                self.door.unlock_for_sale(&mut self.ctx, sale, now);
            }
            Command::UnlockForNewSale => {
                let now = self.ctx.now_ms();
                self.door.unlock_for_new_sale(&mut self.ctx, now);
            }
            Command::SetLed(state) => self.requested_led = state,
            Command::ClearHold(reply) => {
                let _ = reply.send(self.cold.clear_hold(&mut self.ctx));
            }
            Command::Poll(reply) => {
                self.poll();
                let _ = reply.send(());
            }
            Command::Shutdown => {}
        }
        self.show_led();
    }

    /// The thread's loop, until `Shutdown` or the handle is gone; then the lock is locked and the
    /// LED turned off.
    pub fn run(mut self, commands: Receiver<Command>) {
        loop {
            let until_next = self.poll();
            let received = match self.ctx.clock.sleep_for(until_next) {
                Some(wait) => commands.recv_timeout(wait),
                None => commands.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match received {
                Ok(Command::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(command) => self.command(command),
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
        self.stop();
    }

    /// Locks the door and turns the LED off.
    pub fn stop(&mut self) {
        self.door.stop(&mut self.ctx);
        self.led.show(LedState::Off);
    }

    fn refresh_thresholds(&mut self) {
        match self.ctx.store.thresholds() {
            Ok(thresholds) => self.ctx.thresholds = thresholds,
            Err(error) => self.ctx.fault("reading the cold-chain thresholds", error),
        }
    }

    /// The hold as the database has it: staff may clear it through the kiosk's own connection
    /// (`KioskStore::clear_cold_chain_hold`) rather than through the handle.
    fn refresh_hold(&mut self) {
        let hold = match self.ctx.store.cold_chain_hold() {
            Ok(hold) => hold,
            Err(error) => return self.ctx.fault("reading the cold-chain hold", error),
        };
        let stop_sales = hold.is_some() && self.ctx.thresholds.stop_sales_on_excursion;
        let before = self.ctx.status();
        if before.hold.is_some() != hold.is_some() || before.stop_sales != stop_sales {
            self.ctx.event(HardwareEvent::ColdChainHold {
                held: hold.is_some(),
                stop_sales,
            });
        }
        self.ctx.update(|s| {
            s.hold = hold;
            s.stop_sales = stop_sales;
        });
    }

    fn prune(&mut self) {
        let now_s = self.ctx.clock.now().timestamp();
        match self.ctx.store.prune_temperatures(now_s) {
            Ok(0) => {}
            Ok(n) => tracing::info!(samples = n, "pruned temperature samples older than 90 days"),
            Err(error) => self.ctx.fault("pruning temperature samples", error),
        }
    }

    /// The more serious of what the kiosk asked for and what the hardware says.
    fn show_led(&mut self) {
        let status = self.ctx.status();
        let alarms = if status.stop_sales {
            LedState::Fault
        } else if status.door_alarm
            || status.probe_lost
            || status.excursion
            || status.hold.is_some()
            || !status.locked
            || status.door_open
        {
            LedState::Attention
        } else {
            LedState::Ok
        };
        let shown = match self.requested_led {
            LedState::Off => LedState::Off,
            requested => requested.max(alarms),
        };
        if self.shown_led != Some(shown) {
            self.led.show(shown);
            self.shown_led = Some(shown);
        }
    }

    #[cfg(test)]
    pub(super) fn store(&self) -> &KioskStore {
        &self.ctx.store
    }
}

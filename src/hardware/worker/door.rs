//! The door: the debounced switch feeds the lock's state machine and the door-open monitor; the
//! lock opens only for a committed sale read back from the database.
//!
//! The door-open alarm is recorded once when the door has been open longer than the collective's
//! limit, the buzzer sounds the alarm again every few seconds while it stays open, and the cleared
//! alarm is recorded when it closes. The recorded state (in the database) decides what is written,
//! so a restart with the door still open does not raise it twice, and a write that failed is
//! retried at the next poll.

use super::WorkerOptions;
use super::run::Ctx;
use crate::domain::Seq;
use crate::domain::cold_chain::{DoorEvent, DoorMonitor};
use crate::domain::event::{Alarm, AlarmKind, EventBody};
use crate::hardware::{
    BuzzPattern, Debouncer, DoorLock, DoorSwitch, HardwareError, HardwareEvent, LockCommand,
    LockController,
};

pub(super) struct DoorWatch {
    switch: Option<Box<dyn DoorSwitch>>,
    lock: Box<dyn DoorLock>,
    debouncer: Debouncer,
    monitor: DoorMonitor,
    controller: LockController,
    /// The door has been open too long and is still open.
    alarm_active: bool,
    /// What the database says about the door alarm.
    alarm_recorded: bool,
    next_buzz_ms: u64,
    repeat_ms: u64,
    /// Only a sale after this one may open the lock.
    last_unlock_seq: Seq,
    switch_failing: bool,
}

impl DoorWatch {
    /// Locks the lock and reads the door once (a door open at start-up is open at once).
    pub fn new(
        ctx: &mut Ctx,
        mut switch: Option<Box<dyn DoorSwitch>>,
        mut lock: Box<dyn DoorLock>,
        options: &WorkerOptions,
    ) -> Result<DoorWatch, HardwareError> {
        lock.apply(LockCommand::Lock)?;
        let open = match switch.as_mut().map(|s| s.is_open()) {
            Some(Ok(open)) => open,
            Some(Err(error)) => {
                ctx.fault("door switch", error);
                false
            }
            None => false,
        };
        let now = ctx.now_ms();
        let mut monitor = DoorMonitor::default();
        monitor.door(open, seconds(now));
        let mut controller = LockController::new(options.unlock_window.as_millis() as u64);
        controller.door(open);
        let alarm_recorded = ctx.store.alarm_raised(AlarmKind::DoorOpen)?;
        ctx.update(|s| s.door_open = open);
        Ok(DoorWatch {
            switch,
            lock,
            debouncer: Debouncer::new(options.debounce.as_millis() as u64, open),
            monitor,
            controller,
            alarm_active: alarm_recorded && open,
            alarm_recorded,
            next_buzz_ms: now,
            repeat_ms: options.alarm_repeat.as_millis() as u64,
            last_unlock_seq: ctx.store.last_seq()?,
            switch_failing: false,
        })
    }

    pub fn poll(&mut self, ctx: &mut Ctx, now: u64) {
        if let Some(open) = self.read_switch(ctx, now) {
            self.door_changed(ctx, open, now);
        }
        if let Some((command, reason)) = self.controller.tick(now) {
            self.apply(ctx, command);
            ctx.event(HardwareEvent::Relocked { reason });
        }
        let limit = i64::from(ctx.thresholds.door_open_seconds);
        for event in self.monitor.tick(seconds(now), limit) {
            if let DoorEvent::OpenTooLong { .. } = event {
                self.alarm_active = true;
                self.next_buzz_ms = now;
                ctx.event(HardwareEvent::DoorAlarm);
            }
        }
        if self.alarm_active && now >= self.next_buzz_ms {
            ctx.buzzer.play(BuzzPattern::Alarm);
            self.next_buzz_ms = now + self.repeat_ms;
        }
        self.reconcile(ctx);
    }

    fn read_switch(&mut self, ctx: &mut Ctx, now: u64) -> Option<bool> {
        match self.switch.as_mut()?.is_open() {
            Ok(raw) => {
                self.switch_failing = false;
                self.debouncer.update(raw, now)
            }
            Err(error) => {
                if !std::mem::replace(&mut self.switch_failing, true) {
                    ctx.fault("door switch", error);
                }
                None
            }
        }
    }

    fn door_changed(&mut self, ctx: &mut Ctx, open: bool, now: u64) {
        ctx.update(|s| s.door_open = open);
        ctx.event(if open {
            HardwareEvent::DoorOpened
        } else {
            HardwareEvent::DoorClosed
        });
        if let Some((command, reason)) = self.controller.door(open) {
            self.apply(ctx, command);
            ctx.event(HardwareEvent::Relocked { reason });
        }
        self.monitor.door(open, seconds(now));
        if !open && std::mem::take(&mut self.alarm_active) {
            ctx.event(HardwareEvent::DoorAlarmCleared);
        }
    }

    /// Records the door alarm's change, if the database does not have it yet.
    fn reconcile(&mut self, ctx: &mut Ctx) {
        ctx.update(|s| s.door_alarm = self.alarm_active);
        if self.alarm_active == self.alarm_recorded {
            return;
        }
        let alarm = Alarm {
            kind: AlarmKind::DoorOpen,
            raised: self.alarm_active,
            at: ctx.clock.now(),
            lots: Vec::new(),
            peak_millicelsius: None,
        };
        if ctx.record(&alarm) {
            self.alarm_recorded = self.alarm_active;
        }
    }

    /// Opens the lock for `sale` once the database confirms it is a new committed sale.
    pub fn unlock_for_sale(&mut self, ctx: &mut Ctx, sale: Seq, now: u64) {
        if let Err(reason) = self.check_sale(ctx, sale) {
            tracing::warn!(%sale, %reason, "unlock refused");
            ctx.event(HardwareEvent::UnlockRefused { sale, reason });
            return;
        }
        self.last_unlock_seq = sale;
        if let Some(command) = self.controller.sale_committed(sale, now) {
            self.apply(ctx, command);
        }
        ctx.event(HardwareEvent::Unlocked { sale });
    }

    /// Opens the lock for the newest sale committed since the lock last opened, if any.
    pub fn unlock_for_new_sale(&mut self, ctx: &mut Ctx, now: u64) {
        match self.newest_sale(ctx) {
            Ok(Some(sale)) => self.unlock_for_sale(ctx, sale, now),
            Ok(None) => {
                let reason = format!("no sale committed after seq {}", self.last_unlock_seq);
                tracing::warn!(%reason, "unlock refused");
                ctx.event(HardwareEvent::UnlockRefused {
                    sale: self.last_unlock_seq,
                    reason,
                });
            }
            Err(error) => ctx.fault("looking for the committed sale", error),
        }
    }

    fn newest_sale(&self, ctx: &Ctx) -> Result<Option<Seq>, crate::store::StoreError> {
        const BATCH: usize = 500;
        let (mut after, mut newest) = (self.last_unlock_seq, None);
        loop {
            let events = ctx.store.events_after(after, BATCH)?;
            let Some(last) = events.last() else {
                return Ok(newest);
            };
            after = last.seq;
            newest = events
                .iter()
                .rev()
                .find(|e| matches!(e.body, EventBody::Sale(_)))
                .map(|e| e.seq)
                .or(newest);
        }
    }

    fn check_sale(&self, ctx: &Ctx, sale: Seq) -> Result<(), String> {
        if sale <= self.last_unlock_seq {
            return Err(format!(
                "seq {sale} is not newer than {} (a sale already used, or from before start-up)",
                self.last_unlock_seq
            ));
        }
        let events = ctx
            .store
            .events_after(Seq(sale.0 - 1), 1)
            .map_err(|e| format!("the sale could not be read back: {e}"))?;
        match events.first() {
            Some(event) if event.seq == sale && matches!(event.body, EventBody::Sale(_)) => Ok(()),
            Some(event) if event.seq == sale => Err(format!(
                "seq {sale} is a {} event, not a sale",
                event.body.kind()
            )),
            _ => Err(format!(
                "no event {sale} in the log: the sale is not committed"
            )),
        }
    }

    fn apply(&mut self, ctx: &mut Ctx, command: LockCommand) {
        let locked = command == LockCommand::Lock;
        match self.lock.apply(command) {
            Ok(()) => ctx.update(|s| s.locked = locked),
            Err(error) => ctx.fault("door lock", error),
        }
    }

    /// Locks the lock (the worker is stopping).
    pub fn stop(&mut self, ctx: &mut Ctx) {
        self.apply(ctx, LockCommand::Lock);
    }
}

/// Monotonic milliseconds as the whole seconds the door monitor counts in.
fn seconds(ms: u64) -> i64 {
    (ms / 1000) as i64
}

//! Staff mode: a badge and a PIN open it; one tap or two minutes without a touch close it.
//!
//! Staff and volunteers refill the freezer with cold hands, often in a hurry: every screen is a
//! few big buttons. Every action is an event with the badge's pseudonymous id. A badge is locked
//! for five minutes after five wrong PINs, and the count survives a restart.

use chrono::NaiveDate;

use super::{Action, KioskCore};
use crate::domain::codes::{PayloadKind, Scan, decode};
use crate::domain::event::{StaffAction, StaffEvent};
use crate::domain::household::CardHash;
use crate::domain::pin::{self, PinGate};
use crate::domain::stock::LossReason;
use crate::domain::{ProductId, StaffId};
use crate::kiosk::feedback::Feedback;
use crate::kiosk::view::{OutOfOrderReason, Screen, StaffNotice, StaffScreen};
use crate::store::StoreError;

/// Staff mode while a badge is in.
#[derive(Debug, Clone)]
pub(super) struct StaffState {
    pub badge: CardHash,
    /// Known once the PIN is right.
    pub staff: Option<StaffId>,
    pub screen: StaffScreen,
    pub draft: Draft,
    pub notice: Option<StaffNotice>,
}

/// The restock, count or loss being entered.
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    pub product: Option<ProductId>,
    pub lot: Option<String>,
    pub best_before: Option<NaiveDate>,
    pub quantity: i64,
    pub reason: Option<LossReason>,
}

impl KioskCore {
    /// Whether a badge may open staff mode now: not in the middle of a resident's purchase.
    pub(super) fn badge_welcome(&self) -> bool {
        self.session.cart.is_empty() && !self.screen.is_paying()
    }

    pub(super) fn scanned_badge(&mut self, hash: CardHash) -> Result<(), StoreError> {
        let known = self.store.badge(&hash)?.filter(|b| !b.revoked);
        if known.is_none() || !self.badge_welcome() {
            tracing::info!(known = known.is_some(), "badge not accepted here now");
            self.emit(Feedback::Error);
            return Ok(());
        }
        self.emit(Feedback::ScanOk);
        // Staff keep the language they chose on the attract screen.
        let language = self.language.clone();
        self.reset_session();
        self.language = language;
        self.staff = Some(StaffState {
            badge: hash,
            staff: None,
            screen: StaffScreen::Pin,
            draft: Draft::default(),
            notice: None,
        });
        self.show(Screen::Staff(StaffScreen::Pin));
        Ok(())
    }

    /// A scan while in staff mode: a pack for the stock screens, the hub's code for enrolment.
    pub(super) fn staff_scan(&mut self, raw: &str) -> Result<(), StoreError> {
        let screen = self.staff.as_ref().map(|s| s.screen);
        match (decode(raw), screen) {
            (
                Ok(Scan::Product(scan)),
                Some(StaffScreen::Restock | StaffScreen::Count | StaffScreen::Loss),
            ) => match self.store.product_by_key(&scan.key)? {
                // A recalled pack never goes into the freezer; it may still be counted or
                // written off (that is how staff pull it).
                Some(product)
                    if screen == Some(StaffScreen::Restock)
                        && self.scanned_lot_recalled(product.id, &scan.lot)? =>
                {
                    self.emit(Feedback::Error);
                    self.set_notice(StaffNotice::RecalledLot);
                    Ok(())
                }
                Some(product) => {
                    self.emit(Feedback::ScanOk);
                    self.staff_choose(product.id, Some(&scan.lot))
                }
                None => {
                    self.emit(Feedback::Unknown);
                    Ok(())
                }
            },
            (Ok(Scan::Payload(p)), Some(StaffScreen::Enrol))
                if p.kind == PayloadKind::Enrolment =>
            {
                self.start_enrolment(&p.encode());
                Ok(())
            }
            _ => {
                self.emit(Feedback::Unknown);
                Ok(())
            }
        }
    }

    /// An enrolment code scanned on the out-of-order screen of a kiosk that was never set up.
    pub(super) fn bootstrap_enrolment(&mut self, code: &str) -> bool {
        if self.out_of_order != Some(OutOfOrderReason::NotConfigured) {
            return false;
        }
        self.start_enrolment(code);
        true
    }

    fn start_enrolment(&mut self, code: &str) {
        let notice = match self.hub_url.clone() {
            Some(hub) => {
                self.services.enrol(&hub, code);
                StaffNotice::Enrolling
            }
            None => StaffNotice::NoHubAddress,
        };
        self.set_notice(notice);
    }

    pub(super) fn on_enrolment(&mut self, result: Result<i64, String>) {
        match result {
            Ok(kiosk) => {
                tracing::info!(kiosk, "enrolled with the hub");
                self.set_notice(StaffNotice::Enrolled);
                if self.out_of_order == Some(OutOfOrderReason::NotConfigured) {
                    self.last_probe_ms = 0;
                }
            }
            Err(why) => {
                tracing::warn!(%why, "enrolment failed");
                self.emit(Feedback::Error);
                self.set_notice(StaffNotice::EnrolFailed(why));
            }
        }
    }

    fn set_notice(&mut self, notice: StaffNotice) {
        if let Some(state) = &mut self.staff {
            state.notice = Some(notice);
        } else {
            self.bootstrap_notice = Some(notice);
        }
    }

    pub(super) fn on_staff_action(&mut self, action: Action) -> Result<(), StoreError> {
        let Some(state) = &mut self.staff else {
            return Ok(());
        };
        state.notice = None;
        let signed_in = state.staff.is_some();
        match action {
            Action::StaffLeave => self.leave_staff(),
            Action::SubmitPin(pin) if !signed_in => self.submit_pin(&pin),
            _ if !signed_in => Ok(()),
            Action::StaffOpen(screen) => {
                if screen == StaffScreen::Lots
                    && self
                        .store
                        .acknowledge_recalled_scans(self.clock.now())?
                        .is_some()
                {
                    self.push_soon();
                }
                self.open_staff_screen(screen);
                Ok(())
            }
            Action::StaffSyncNow => {
                // Without a hub link there is nothing to send to: say so rather than "requested".
                if self.sync.is_some() {
                    self.services.sync_now();
                    self.set_notice(StaffNotice::SyncRequested);
                } else {
                    self.emit(Feedback::Error);
                    self.set_notice(StaffNotice::NotLinked);
                }
                Ok(())
            }
            Action::StaffClearHold => self.clear_hold(),
            other => self.on_stock_action(other),
        }
    }

    fn open_staff_screen(&mut self, screen: StaffScreen) {
        if let Some(state) = &mut self.staff {
            state.screen = if screen == StaffScreen::Pin {
                StaffScreen::Menu
            } else {
                screen
            };
            state.draft = Draft::default();
            self.screen = Screen::Staff(state.screen);
        }
    }

    fn submit_pin(&mut self, pin: &str) -> Result<(), StoreError> {
        let Some(badge_hash) = self.staff.as_ref().map(|s| s.badge) else {
            return Ok(());
        };
        let now = self.clock.now().timestamp();
        let attempts = self.store.pin_attempts(&badge_hash)?;
        if let PinGate::Locked { .. } = attempts.gate(now) {
            self.emit(Feedback::Error);
            self.set_notice(StaffNotice::BadgeLocked);
            return Ok(());
        }
        let badge = self.store.badge(&badge_hash)?.filter(|b| !b.revoked);
        let Some(badge) = badge else {
            return self.leave_staff();
        };
        if pin::is_well_formed(pin) && crate::passwords::verify_secret(pin, &badge.pin_hash) {
            self.store
                .set_pin_attempts(&badge_hash, attempts.succeeded())?;
            self.record_staff(badge.staff, StaffAction::SignedIn)?;
            if let Some(state) = &mut self.staff {
                state.staff = Some(badge.staff);
            }
            self.open_staff_screen(StaffScreen::Menu);
            return Ok(());
        }
        let after = attempts.failed(now);
        self.store.set_pin_attempts(&badge_hash, after)?;
        self.emit(Feedback::Error);
        if matches!(after.gate(now), PinGate::Locked { .. }) {
            tracing::warn!(staff = %badge.staff, "five wrong PINs: badge locked for five minutes");
            self.record_staff(badge.staff, StaffAction::LockedOut)?;
        }
        self.set_notice(StaffNotice::WrongPin);
        Ok(())
    }

    fn record_staff(&mut self, staff: StaffId, action: StaffAction) -> Result<(), StoreError> {
        self.store.record_staff_event(&StaffEvent {
            staff,
            action,
            at: self.clock.now(),
        })?;
        Ok(())
    }

    /// Back to sale mode (or to "out of order" if the kiosk is).
    pub(super) fn leave_staff(&mut self) -> Result<(), StoreError> {
        if let Some(staff) = self.staff.take().and_then(|s| s.staff) {
            self.record_staff(staff, StaffAction::SignedOut)?;
        }
        self.reset_session();
        Ok(())
    }

    fn clear_hold(&mut self) -> Result<(), StoreError> {
        let staff = self.staff.as_ref().and_then(|s| s.staff);
        let cleared = match self.services.clear_cold_chain_hold() {
            Some(Ok(cleared)) => cleared,
            Some(Err(why)) => {
                tracing::error!(%why, "the hardware worker could not lift the cold-chain hold");
                self.emit(Feedback::Error);
                false
            }
            None => self
                .store
                .clear_cold_chain_hold(self.clock.now())?
                .is_some(),
        };
        if cleared {
            if let Some(staff) = staff {
                self.record_staff(staff, StaffAction::ClearedColdChainHold)?;
            }
            self.on_cold_chain_hold(false);
            self.set_notice(StaffNotice::HoldCleared);
        }
        Ok(())
    }

    /// Staff mode closes after a while without a touch.
    pub(super) fn staff_tick(&mut self) {
        let idle = self.now_ms().saturating_sub(self.last_activity_ms);
        if idle >= self.timings.staff_inactivity_ms {
            tracing::info!("staff mode closed after inactivity");
            if let Err(error) = self.leave_staff() {
                self.fail(error);
            }
        }
    }
}

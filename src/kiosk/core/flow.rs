//! Scans and taps outside payment: building the cart, cards, caps, notices.

use chrono::Duration;

use super::{Action, Buyer, KioskCore};
use crate::domain::caps::{CapExceeded, CapLimit, check_caps};
use crate::domain::cart::Cart;
use crate::domain::codes::{PayloadKind, ProductScan, Scan, ScannedLot, decode};
use crate::domain::household::{CardHash, CardRefusal};
use crate::domain::lot::Lot;
use crate::domain::pricing::price_cart;
use crate::domain::recall::{PackVerdict, WithoutLot, judge_pack_without_lot};
use crate::domain::sale::LotTake;
use crate::domain::{Money, ProductId};
use crate::kiosk::feedback::Feedback;
use crate::kiosk::view::{CapLeft, CapRoom, Screen};
use crate::store::StoreError;

/// Caps count calendar weeks and months: five weeks of history always covers them.
const CAP_HISTORY_DAYS: i64 = 35;

impl KioskCore {
    pub(super) fn on_scan(&mut self, raw: &str) {
        if !self.debouncer.accept(raw, self.now_ms()) {
            return;
        }
        self.touch();
        self.undo = None;
        let result = if self.staff.is_some() {
            self.staff_scan(raw)
        } else if self.screen == Screen::OutOfOrder {
            self.scan_while_out_of_order(raw)
        } else if self.screen.is_paying() {
            tracing::info!("scan ignored during payment");
            self.emit(Feedback::Ignored);
            Ok(())
        } else {
            self.scan_for_sale(raw)
        };
        if let Err(error) = result {
            self.fail(error);
        }
    }

    /// Out of order, only staff codes count: a badge, or the hub's enrolment code on a kiosk
    /// never set up.
    fn scan_while_out_of_order(&mut self, raw: &str) -> Result<(), StoreError> {
        match decode(raw) {
            Ok(Scan::Payload(p)) if p.kind == PayloadKind::Badge => self.scanned_badge(p.hash()),
            Ok(Scan::Payload(p))
                if p.kind == PayloadKind::Enrolment && self.bootstrap_enrolment(&p.encode()) =>
            {
                Ok(())
            }
            _ => {
                self.emit(Feedback::Error);
                Ok(())
            }
        }
    }

    fn scan_for_sale(&mut self, raw: &str) -> Result<(), StoreError> {
        if matches!(self.screen, Screen::Done) {
            self.reset_session();
        }
        if self.screen == Screen::StillThere {
            self.show(self.resume);
        }
        match decode(raw) {
            Ok(Scan::Product(scan)) => self.scanned_product(&scan),
            Ok(Scan::Payload(payload)) => match payload.kind {
                PayloadKind::Card => self.scanned_card(payload.hash()),
                PayloadKind::Badge => self.scanned_badge(payload.hash()),
                PayloadKind::Enrolment | PayloadKind::Voucher => {
                    tracing::info!(kind = ?payload.kind, "a code the resident screens do not take");
                    self.unknown_code();
                    Ok(())
                }
            },
            Err(error) => {
                tracing::warn!(%error, "unknown code scanned");
                self.unknown_code();
                Ok(())
            }
        }
    }

    fn unknown_code(&mut self) {
        self.emit(Feedback::Unknown);
        self.notice(Screen::UnknownCode);
    }

    /// Shows a notice that returns by itself to where the visit stands.
    fn notice(&mut self, screen: Screen) {
        self.resume = self.home();
        self.show(screen);
    }

    fn scanned_product(&mut self, scan: &ProductScan) -> Result<(), StoreError> {
        let Some(product) = self.store.product_by_key(&scan.key)? else {
            tracing::warn!(key = ?scan.key, "a valid code names no product of this kiosk");
            self.unknown_code();
            return Ok(());
        };
        match scan.lot.lot.as_deref() {
            Some(code) if self.store.is_recalled(product.id, code)? => {
                return self.refuse_recalled(&[code.to_owned()]);
            }
            Some(_) => {}
            None => {
                if let PackVerdict::Recalled { lots } =
                    self.judge_without_lot(product.id, WithoutLot::CodeWithoutLot)?
                {
                    return self.refuse_recalled(&lots);
                }
            }
        }
        if let Some(lot) = Lot::from_scan(product.id, &scan.lot, self.today()) {
            self.store.remember_lot(&lot)?;
        }
        self.add_to_cart(product.id, scan.lot.lot.clone())
    }

    /// Whether one more pack of `product`, whose lot was not read, may be sold while lots of it
    /// are recalled (the rule and why: `domain::recall`).
    fn judge_without_lot(
        &self,
        product: ProductId,
        how: WithoutLot,
    ) -> Result<PackVerdict, StoreError> {
        let line = self
            .session
            .cart
            .lines()
            .iter()
            .find(|l| l.product == product);
        let in_cart = line.map_or(0, |l| l.quantity);
        let mut scanned: Vec<LotTake> = Vec::new();
        for code in line.map(|l| l.scanned_lots.as_slice()).unwrap_or_default() {
            match scanned.iter_mut().find(|t| t.lot.as_deref() == Some(code)) {
                Some(take) => take.quantity += 1,
                None => scanned.push(LotTake {
                    lot: Some(code.clone()),
                    quantity: 1,
                }),
            }
        }
        let stock = self.store.product_lots(product)?;
        Ok(judge_pack_without_lot(how, in_cart, &scanned, &stock))
    }

    /// A pack picked by its picture or by "+": refused while recalled packs of the product are in
    /// the books, since the kiosk cannot tell it is not one of them.
    fn add_unread(&mut self, product: ProductId, increment: bool) -> Result<(), StoreError> {
        if increment && self.session.cart.quantity_of(product) == 0 {
            return Ok(());
        }
        if let PackVerdict::Recalled { lots } =
            self.judge_without_lot(product, WithoutLot::NotRead)?
        {
            return self.refuse_recalled(&lots);
        }
        if increment {
            self.increment(product)
        } else {
            self.add_to_cart(product, None)
        }
    }

    /// Whether a scanned pack's lot is under an open recall.
    pub(super) fn scanned_lot_recalled(
        &self,
        product: ProductId,
        lot: &ScannedLot,
    ) -> Result<bool, StoreError> {
        match lot.lot.as_deref() {
            Some(code) => self.store.is_recalled(product, code),
            None => Ok(false),
        }
    }

    /// A pack that is, or may be, of a recalled lot: not sold, the resident is told not to eat it
    /// and to leave it for staff, and a staff alarm naming `lots` is recorded and pushed to the hub
    /// at once.
    fn refuse_recalled(&mut self, lots: &[String]) -> Result<(), StoreError> {
        tracing::warn!(?lots, "a pack that may be of a recalled lot was refused");
        self.store.record_recalled_scan(lots, self.clock.now())?;
        self.push_soon();
        self.emit(Feedback::Error);
        self.notice(Screen::RecalledLot);
        Ok(())
    }

    /// Asks the sync worker to push now (when the kiosk is linked to a hub).
    pub(super) fn push_soon(&mut self) {
        if self.sync.is_some() {
            self.services.sync_now();
        }
    }

    /// Adds one pack unless a cap forbids it; shows the cart (or the cap notice).
    pub(super) fn add_to_cart(
        &mut self,
        product: ProductId,
        lot: Option<String>,
    ) -> Result<(), StoreError> {
        let mut wanted = self.session.cart.clone();
        if let Err(error) = wanted.add(product, lot) {
            tracing::info!(%error, "cart limit");
            self.emit(Feedback::Error);
            return Ok(());
        }
        if self.cap_exceeded(&wanted)?.is_some() {
            return Ok(());
        }
        self.session.cart = wanted;
        self.emit(Feedback::ScanOk);
        self.show(Screen::Cart);
        Ok(())
    }

    /// Checks `cart` against the buyer's caps; when exceeded, shows the cap notice and says so.
    pub(super) fn cap_exceeded(&mut self, cart: &Cart) -> Result<Option<CapExceeded>, StoreError> {
        let Some(buyer) = &self.session.buyer else {
            return Ok(None);
        };
        let caps = buyer.household.effective_caps(&buyer.tier.caps).to_vec();
        if caps.is_empty() {
            return Ok(None);
        }
        let products = self.cart_products(cart)?;
        let priced = price_cart(cart, |id| products.iter().find(|p| p.id == id), &buyer.tier)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let since = self.dating_now() - Duration::days(CAP_HISTORY_DAYS);
        let history = self.store.household_purchases(buyer.household.id, since)?;
        let today = self.today();
        match check_caps(
            &caps,
            &history,
            today,
            priced.totals.paid,
            priced.totals.items,
        ) {
            Ok(()) => Ok(None),
            Err(exceeded) => {
                // What the resident already holds counts: the cart as it stands, without the
                // pack being refused.
                let held = if *cart == self.session.cart {
                    priced.totals
                } else {
                    let products = self.cart_products(&self.session.cart)?;
                    price_cart(
                        &self.session.cart,
                        |id| products.iter().find(|p| p.id == id),
                        &buyer.tier,
                    )
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .totals
                };
                let room = match exceeded.cap.limit {
                    CapLimit::Items(_) => {
                        CapRoom::Items(exceeded.left_beside(i64::from(held.items)))
                    }
                    CapLimit::Amount(_) => {
                        CapRoom::Amount(Money::from_cents(exceeded.left_beside(held.paid.cents())))
                    }
                };
                self.session.cap_left = Some(CapLeft {
                    period: exceeded.cap.period,
                    room,
                });
                self.emit(Feedback::Error);
                self.resume = Screen::Cart;
                self.show(Screen::CapReached);
                Ok(Some(exceeded))
            }
        }
    }

    fn scanned_card(&mut self, hash: CardHash) -> Result<(), StoreError> {
        let Some(found) = self.store.card(&hash)? else {
            return self.refuse_card(CardRefusal::Unknown);
        };
        if found.card.revoked {
            return self.refuse_card(CardRefusal::Revoked);
        }
        if let Err(refusal) = found.household.check_usable(self.today()) {
            return self.refuse_card(refusal);
        }
        let tier = match self.store.tier(found.household.tier)? {
            Some(tier) => tier,
            None => self.store.default_tier()?,
        };
        self.session.buyer = Some(Buyer {
            card: hash,
            household: found.household,
            tier,
        });
        let cart = self.session.cart.clone();
        if self.cap_exceeded(&cart)?.is_none() {
            self.emit(Feedback::ScanOk);
            self.resume = Screen::Cart;
            self.show(Screen::CardAccepted);
        }
        Ok(())
    }

    fn refuse_card(&mut self, refusal: CardRefusal) -> Result<(), StoreError> {
        tracing::info!(?refusal, "card refused");
        self.emit(Feedback::Error);
        self.session.buyer = None;
        self.show(Screen::CardRefused(refusal));
        Ok(())
    }

    pub(super) fn on_action(&mut self, action: Action) {
        if self.staff.is_some() {
            if let Err(error) = self.on_staff_action(action) {
                self.fail(error);
            }
            return;
        }
        if self.screen == Screen::OutOfOrder {
            return;
        }
        // A removal can be put back only until something else is done.
        if action != Action::Undo {
            self.undo = None;
        }
        let result = match action {
            Action::SetLanguage(language) => {
                if crate::kiosk::i18n::is_language(&language) {
                    self.language = language;
                }
                Ok(())
            }
            Action::OpenGrid => {
                self.show(Screen::Grid);
                Ok(())
            }
            Action::CloseGrid | Action::BuyAtFullPrice | Action::Dismiss => {
                self.close_notice();
                Ok(())
            }
            Action::AddProduct(product) => self.add_unread(product, false),
            Action::Increment(product) => self.add_unread(product, true),
            Action::Decrement(product) => {
                self.decrement_line(product);
                Ok(())
            }
            Action::Remove(product) => {
                self.remove_line(product);
                Ok(())
            }
            Action::CancelAll => {
                self.cancel_all();
                Ok(())
            }
            Action::Undo => {
                self.take_back();
                Ok(())
            }
            Action::StillHere => {
                if self.screen == Screen::StillThere {
                    self.show(self.resume);
                }
                Ok(())
            }
            Action::Pay
            | Action::ChooseMethod(_)
            | Action::ConfirmPayment
            | Action::Back
            | Action::CancelTerminal
            | Action::RetryTerminal => self.on_payment_action(&action),
            // Staff actions outside staff mode (a stale tap): nothing to do.
            Action::SubmitPin(_)
            | Action::StaffOpen(_)
            | Action::StaffPick(_)
            | Action::StaffQuantity(_)
            | Action::StaffBestBefore(_)
            | Action::StaffReason(_)
            | Action::StaffConfirm
            | Action::StaffClearHold
            | Action::StaffSyncNow
            | Action::StaffLeave => Ok(()),
            // Handled before any screen's actions (`KioskCore::handle`).
            Action::Listen => Ok(()),
        };
        if let Err(error) = result {
            self.fail(error);
        }
    }

    fn increment(&mut self, product: ProductId) -> Result<(), StoreError> {
        let mut wanted = self.session.cart.clone();
        if wanted.increment(product).is_err() {
            return Ok(());
        }
        if self.cap_exceeded(&wanted)?.is_none() {
            self.session.cart = wanted;
        }
        Ok(())
    }

    /// Leaves a notice, the grid or a refused card for the cart (or the attract screen).
    fn close_notice(&mut self) {
        let next = match self.screen {
            Screen::CapReached => Screen::Cart,
            Screen::CardRefused(_) => Screen::Cart,
            Screen::Grid => self.home(),
            Screen::UnknownCode | Screen::CardAccepted | Screen::RecalledLot => self.home(),
            other => other,
        };
        self.session.cap_left = None;
        self.show(next);
    }
}

//! Staff stock screens: restock (scan a pack or pick its picture, then the quantity; each further
//! scan of the same pack adds one), count (set what is really there), loss (packs removed, with a
//! reason). Lot and best-before come from a GS1 label when the pack has one; otherwise the
//! best-before is set with −/+ months.

use chrono::{Months, NaiveDate};

use super::staff::Draft;
use super::{Action, KioskCore};
use crate::domain::ProductId;
use crate::domain::codes::ScannedLot;
use crate::domain::lot::Lot;
use crate::domain::stock::{StockChange, StockMovement};
use crate::entropy::new_movement_id;
use crate::kiosk::feedback::Feedback;
use crate::kiosk::view::{StaffNotice, StaffScreen};
use crate::store::StoreError;

/// Frozen vegetables keep about a year: the best-before a restock starts from without a label.
const DEFAULT_SHELF_LIFE_MONTHS: u32 = 12;
/// Most packs one restock, count or loss line records.
const MAX_QUANTITY: i64 = 500;

/// The lot code for packs whose label gave none: their best-before month, so first-expiry-first-out
/// still works (`BB-2027-11`).
pub fn lot_for_best_before(best_before: NaiveDate) -> String {
    best_before.format("BB-%Y-%m").to_string()
}

impl KioskCore {
    fn staff_screen(&self) -> Option<StaffScreen> {
        self.staff.as_ref().map(|s| s.screen)
    }

    fn draft_mut(&mut self) -> Option<&mut Draft> {
        self.staff.as_mut().map(|s| &mut s.draft)
    }

    /// A product chosen by scan (with its label's lot) or by picture.
    pub(super) fn staff_choose(
        &mut self,
        product: ProductId,
        scanned: Option<&ScannedLot>,
    ) -> Result<(), StoreError> {
        let screen = self.staff_screen();
        let book = self.store.stock_level(product)?;
        let today = self.today();
        let Some(draft) = self.draft_mut() else {
            return Ok(());
        };
        // Restocking or writing off, each scan of the same pack (same lot) is one more.
        if let Some(label) = scanned
            && matches!(screen, Some(StaffScreen::Restock | StaffScreen::Loss))
            && draft.product == Some(product)
            && draft.lot == label.lot
        {
            draft.quantity = (draft.quantity + 1).min(MAX_QUANTITY);
            return Ok(());
        }
        *draft = Draft {
            product: Some(product),
            ..Draft::default()
        };
        draft.lot = scanned.and_then(|s| s.lot.clone());
        draft.best_before = scanned.and_then(|s| s.use_by(today));
        draft.quantity = match screen {
            Some(StaffScreen::Count) => book.max(0),
            _ => 1,
        };
        if screen == Some(StaffScreen::Restock)
            && draft.lot.is_none()
            && draft.best_before.is_none()
        {
            draft.best_before = today.checked_add_months(Months::new(DEFAULT_SHELF_LIFE_MONTHS));
        }
        if let (Some(lot), Some(label)) = (draft.lot.clone(), scanned)
            && let Some(lot) = Lot::from_scan(
                product,
                &ScannedLot {
                    lot: Some(lot),
                    ..label.clone()
                },
                today,
            )
        {
            self.store.remember_lot(&lot)?;
        }
        Ok(())
    }

    pub(super) fn on_stock_action(&mut self, action: Action) -> Result<(), StoreError> {
        let minimum = if self.staff_screen() == Some(StaffScreen::Count) {
            0
        } else {
            1
        };
        match action {
            Action::StaffPick(product) => self.staff_choose(product, None)?,
            Action::StaffQuantity(delta) => {
                if let Some(draft) = self.draft_mut().filter(|d| d.product.is_some()) {
                    draft.quantity = (draft.quantity + delta).clamp(minimum, MAX_QUANTITY);
                }
            }
            Action::StaffBestBefore(months) => {
                if let Some(draft) = self.draft_mut() {
                    draft.best_before = draft.best_before.and_then(|d| shift_months(d, months));
                    draft.lot = None;
                }
            }
            Action::StaffReason(reason) => {
                if let Some(draft) = self.draft_mut() {
                    draft.reason = Some(reason);
                }
            }
            Action::StaffConfirm => self.confirm_stock()?,
            _ => {}
        }
        Ok(())
    }

    fn confirm_stock(&mut self) -> Result<(), StoreError> {
        let (Some(screen), Some(state)) = (self.staff_screen(), self.staff.as_ref()) else {
            return Ok(());
        };
        let (Some(product), Some(staff)) = (state.draft.product, state.staff) else {
            return Ok(());
        };
        let draft = state.draft.clone();
        let template = StockMovement {
            id: new_movement_id(),
            kiosk: self.store.kiosk_id()?,
            product,
            lot: draft.lot.clone(),
            at: self.clock.now(),
            change: StockChange::Restock { quantity: 0 },
            by: Some(staff),
        };
        let quantity = u32::try_from(draft.quantity).unwrap_or(0);
        match screen {
            StaffScreen::Restock if quantity > 0 => {
                self.save_restock(template, &draft, quantity)?
            }
            StaffScreen::Count => {
                self.store.record_count(&template, quantity)?;
            }
            StaffScreen::Loss if quantity > 0 => match draft.reason {
                Some(reason) => {
                    self.store.record_loss(&template, quantity, reason)?;
                }
                None => {
                    self.emit(Feedback::Error);
                    return Ok(());
                }
            },
            _ => return Ok(()),
        }
        self.emit(Feedback::ScanOk);
        if let Some(state) = &mut self.staff {
            state.draft = Draft::default();
            state.notice = Some(StaffNotice::Saved);
        }
        Ok(())
    }

    fn save_restock(
        &mut self,
        template: StockMovement,
        draft: &Draft,
        quantity: u32,
    ) -> Result<(), StoreError> {
        let lot = match (&draft.lot, draft.best_before) {
            (Some(lot), _) => Some(lot.clone()),
            (None, Some(best_before)) => Some(lot_for_best_before(best_before)),
            (None, None) => None,
        };
        if let Some(code) = &lot {
            self.store.remember_lot(&Lot {
                product: template.product,
                code: code.clone(),
                packed_on: None,
                best_before: draft.best_before,
                packing_site: None,
            })?;
        }
        let movement = StockMovement {
            lot,
            change: StockChange::Restock { quantity },
            ..template
        };
        self.store.record_movement(&movement)?;
        Ok(())
    }
}

fn shift_months(date: NaiveDate, months: i32) -> Option<NaiveDate> {
    if months >= 0 {
        date.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lots_without_a_label_are_named_by_their_month() {
        let date = NaiveDate::from_ymd_opt(2027, 11, 28).unwrap();
        assert_eq!(lot_for_best_before(date), "BB-2027-11");
        assert_eq!(shift_months(date, -2), NaiveDate::from_ymd_opt(2027, 9, 28));
    }
}

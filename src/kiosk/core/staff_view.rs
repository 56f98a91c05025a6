//! Building staff mode's part of the [`View`]: the draft, stock levels, lots, alarms,
//! temperatures.
//!
//! [`View`]: crate::kiosk::view::View

use std::collections::BTreeMap;

use chrono::{Local, NaiveDateTime, TimeZone, Timelike};

use super::KioskCore;
use super::staff::StaffState;
use crate::domain::ProductId;
use crate::domain::pin::PinGate;
use crate::kiosk::i18n;
use crate::kiosk::view::{AlarmRow, GridItem, LevelRow, LotRow, StaffScreen, StaffView};
use crate::store::StoreError;

/// Alarms listed on the alarms screen.
const ALARMS_SHOWN: usize = 20;
const DAY_SECONDS: i64 = 24 * 3600;

/// Local date and time of a Unix timestamp, to the minute (the screens show no seconds).
fn local_time(at_s: i64) -> NaiveDateTime {
    let at = Local
        .timestamp_opt(at_s, 0)
        .single()
        .map(|t| t.naive_local())
        .unwrap_or_default();
    at.with_second(0).unwrap_or(at)
}

impl KioskCore {
    pub(super) fn staff_view(&self, state: &StaffState) -> Result<StaffView, StoreError> {
        let mut view = StaffView {
            staff: state.staff,
            notice: state.notice.clone(),
            hub: self.hub_url.clone(),
            ..StaffView::default()
        };
        match state.screen {
            StaffScreen::Pin => self.pin_view(state, &mut view)?,
            StaffScreen::Restock | StaffScreen::Count | StaffScreen::Loss => {
                self.draft_view(state, &mut view)?
            }
            StaffScreen::Levels => view.levels = self.level_rows()?,
            StaffScreen::Lots => view.lots = self.lot_rows()?,
            StaffScreen::Alarms => {
                view.alarms = self.alarm_rows()?;
                view.hold = self.store.cold_chain_hold()?.is_some();
            }
            StaffScreen::Temperature => {
                let now = self.clock.now().timestamp();
                let since = now - DAY_SECONDS;
                view.temperatures = self
                    .store
                    .temperatures_since(since)?
                    .into_iter()
                    .map(|(at, mc)| (at - since, mc))
                    .collect();
                view.max_millicelsius = self.store.thresholds()?.max_millicelsius;
            }
            StaffScreen::Menu | StaffScreen::Sync | StaffScreen::Enrol => {}
        }
        Ok(view)
    }

    fn pin_view(&self, state: &StaffState, view: &mut StaffView) -> Result<(), StoreError> {
        match self
            .store
            .pin_attempts(&state.badge)?
            .gate(self.clock.now().timestamp())
        {
            PinGate::Open { failures_left } => view.pin_failures_left = failures_left,
            PinGate::Locked { until } => view.locked_until = Some(local_time(until).time()),
        }
        Ok(())
    }

    fn draft_view(&self, state: &StaffState, view: &mut StaffView) -> Result<(), StoreError> {
        let draft = &state.draft;
        view.quantity = draft.quantity;
        view.lot = draft.lot.clone();
        view.best_before = draft.best_before;
        view.reason = draft.reason;
        if let Some(product) = draft.product {
            view.product = self.staff_item(product)?;
            if state.screen == StaffScreen::Count {
                view.book_level = Some(self.store.stock_level(product)?);
            }
        }
        Ok(())
    }

    fn staff_item(&self, id: ProductId) -> Result<Option<GridItem>, StoreError> {
        let locale = i18n::product_locale(&self.language);
        Ok(self.store.product(id)?.map(|p| GridItem {
            product: p.id,
            name: p.name(locale).to_owned(),
            pictogram: p.pictogram.clone(),
            photo: self.photos.get(p.photo.as_ref()),
            unit_weight_g: p.net_weight_g,
            unit_price: p.full_price,
        }))
    }

    /// Every active product, to restock, count or write off by picture.
    pub(super) fn staff_grid(&self) -> Result<Vec<GridItem>, StoreError> {
        let locale = i18n::product_locale(&self.language);
        Ok(self
            .store
            .products(true)?
            .into_iter()
            .map(|p| GridItem {
                product: p.id,
                name: p.name(locale).to_owned(),
                pictogram: p.pictogram.clone(),
                photo: self.photos.get(p.photo.as_ref()),
                unit_weight_g: p.net_weight_g,
                unit_price: p.full_price,
            })
            .collect())
    }

    fn level_rows(&self) -> Result<Vec<LevelRow>, StoreError> {
        let mut totals: BTreeMap<ProductId, i64> = BTreeMap::new();
        for level in self.store.stock_levels()? {
            *totals.entry(level.product).or_default() += level.level;
        }
        let locale = i18n::product_locale(&self.language);
        Ok(self
            .store
            .products(false)?
            .into_iter()
            .filter(|p| p.active || totals.get(&p.id).is_some_and(|n| *n != 0))
            .map(|p| LevelRow {
                name: p.name(locale).to_owned(),
                pictogram: p.pictogram.clone(),
                photo: self.photos.get(p.photo.as_ref()),
                level: totals.get(&p.id).copied().unwrap_or(0),
            })
            .collect())
    }

    fn lot_rows(&self) -> Result<Vec<LotRow>, StoreError> {
        let locale = i18n::product_locale(&self.language);
        let today = self.today();
        let mut rows = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        // `stock_levels` lists each product's lots earliest best-before first.
        for level in self
            .store
            .stock_levels()?
            .into_iter()
            .filter(|l| l.level > 0)
        {
            let (Some(lot), Some(product)) =
                (level.lot.clone(), self.store.product(level.product)?)
            else {
                continue;
            };
            rows.push(LotRow {
                name: product.name(locale).to_owned(),
                pictogram: product.pictogram.clone(),
                photo: self.photos.get(product.photo.as_ref()),
                best_before: level.best_before,
                level: level.level,
                first_out: seen.insert(level.product),
                expired: level.best_before.is_some_and(|d| d < today),
                recalled: self.store.is_recalled(level.product, &lot)?,
                lot,
            });
        }
        // Recalled packs first: they are the ones to pull.
        rows.sort_by_key(|r| {
            (
                !r.recalled,
                r.best_before.is_none(),
                r.best_before,
                r.name.clone(),
            )
        });
        Ok(rows)
    }

    fn alarm_rows(&self) -> Result<Vec<AlarmRow>, StoreError> {
        Ok(self
            .store
            .recent_alarms(ALARMS_SHOWN)?
            .into_iter()
            .map(|(_, alarm)| AlarmRow {
                kind: alarm.kind,
                raised: alarm.raised,
                at: local_time(alarm.at.timestamp()),
            })
            .collect())
    }
}

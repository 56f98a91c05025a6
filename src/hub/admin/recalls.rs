//! `congelo-hub recall open|close|list|show`: recalls from the command line, through the same
//! audited [`RecallStore`](crate::hub::store::RecallStore) methods as the recall pages.

use std::io::Write;

use chrono::Utc;
use clap::{ArgGroup, Subcommand};

use super::{AdminError, cli_audit};
use crate::domain::ProductId;
use crate::domain::product::Locale;
use crate::hub::store::HubStore;
use crate::hub::store::recalls::RecallOrigin;

#[derive(Debug, Subcommand)]
pub enum RecallCommand {
    /// Opens a recall of a lot, of a production batch's lot, or of every lot made from an intake;
    /// every kiosk refuses those packs after its next sync.
    #[command(group(ArgGroup::new("origin").required(true).args(["lot", "batch", "intake"])))]
    Open {
        /// A lot code as printed on the packs.
        #[arg(long)]
        lot: Option<String>,
        /// With --lot: the product's id (without it, every product with a lot of that code).
        #[arg(long, requires = "lot")]
        product: Option<i64>,
        /// A production batch's id.
        #[arg(long)]
        batch: Option<i64>,
        /// An intake's id (a farm reports a problem with a delivery).
        #[arg(long)]
        intake: Option<i64>,
        /// Why (kept with the recall and in the audit log).
        #[arg(long)]
        reason: String,
    },
    /// Closes an open recall: kiosks accept its lots again after their next sync.
    Close {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Every recall, open ones first.
    List,
    /// One recall: its lots and where each went, in packs (CSV on the recall page).
    Show { id: i64 },
}

pub(super) fn run(
    store: &dyn HubStore,
    command: RecallCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    match command {
        RecallCommand::Open {
            lot,
            product,
            batch,
            intake,
            reason,
        } => {
            let origin = match (lot, batch, intake) {
                (Some(lot), _, _) => RecallOrigin::Lot {
                    product: product.map(ProductId),
                    lot,
                },
                (None, Some(batch), _) => RecallOrigin::Batch(batch),
                (None, None, Some(intake)) => RecallOrigin::Intake(intake),
                (None, None, None) => {
                    return Err(AdminError::Invalid(
                        "name a --lot, a --batch or an --intake".into(),
                    ));
                }
            };
            let id = store.open_recall(&origin, &reason, Utc::now(), &cli_audit("recall.open"))?;
            let detail = store
                .recall_detail(id, None, Locale::EnCa)?
                .ok_or_else(|| AdminError::Invalid(format!("recall {id} vanished")))?;
            writeln!(out, "recall {id} opened: {}", lots_text(&detail.recall))?;
        }
        RecallCommand::Close { id, reason } => {
            store.close_recall(id, &reason, Utc::now(), &cli_audit("recall.close"))?;
            writeln!(out, "recall {id} closed")?;
        }
        RecallCommand::List => {
            for recall in store.recalls(Locale::EnCa)? {
                let state = if recall.is_open() { "open" } else { "closed" };
                writeln!(
                    out,
                    "{}\t{state}\t{} {}\t{}\t{}",
                    recall.id,
                    recall.origin,
                    recall.origin_ref,
                    lots_text(&recall),
                    recall.reason
                )?;
            }
        }
        RecallCommand::Show { id } => {
            let detail = store
                .recall_detail(id, None, Locale::EnCa)?
                .ok_or_else(|| AdminError::Invalid(format!("there is no recall {id}")))?;
            writeln!(out, "recall {id}: {}", lots_text(&detail.recall))?;
            writeln!(out, "product\tlot\tkiosk\trestocked\tsold\tleft\tlost")?;
            for row in detail.trace {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    row.product_name,
                    row.lot,
                    row.kiosk_name,
                    row.restocked,
                    row.sold,
                    row.left,
                    row.lost
                )?;
            }
        }
    }
    Ok(())
}

fn lots_text(recall: &crate::hub::store::recalls::RecallSummary) -> String {
    recall
        .lots
        .iter()
        .map(|l| format!("{} lot {}", l.product_name, l.lot))
        .collect::<Vec<_>>()
        .join(", ")
}

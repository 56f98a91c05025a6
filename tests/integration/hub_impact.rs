//! The impact report over HTTP on a small hub: kg received, packed, lost in preparation,
//! distributed and lost in freezers, participant-hours and distinct households, checked against
//! figures worked out by hand, by month, site and product; its CSV and JSON carry the page's
//! figures; site staff see their own site; the year's printable summary draws its charts.

use rusqlite::params;

use super::common::web::WebHub;
use super::hub_kitchens::product;

/// The sales above are written straight into their tables, past ingest: the monthly rollups the
/// report reads are summed from them here, as the schema's migrations fill them on an existing
/// database. (Ingest keeping those rollups is checked against the sales in `hub_households` and
/// `hub_reports`.)
const MONTHLY_ROLLUPS_FROM_SALES: &str = "
INSERT INTO rollup_sales_month
SELECT month, kiosk_id, tier_id, site_id, territory_id, count(*), sum(items), sum(net_weight_g),
       sum(full_cents), sum(paid_cents)
FROM sales WHERE voided = 0 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO rollup_lines_month
SELECT s.month, s.kiosk_id, s.tier_id, l.product_id, s.site_id, s.territory_id,
       count(DISTINCT l.sale_id), sum(l.quantity), sum(l.quantity * l.unit_weight_g),
       sum(l.quantity * l.full_unit_cents), sum(l.quantity * l.charged_unit_cents)
FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.voided = 0
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO rollup_households
SELECT month, site_id, territory_id, card_hash, count(*)
FROM sales WHERE voided = 0 AND card_hash IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO rollup_household_products
SELECT s.month, s.site_id, s.territory_id, l.product_id, s.card_hash, count(DISTINCT s.id)
FROM sale_lines l JOIN sales s ON s.id = l.sale_id
WHERE s.voided = 0 AND s.card_hash IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
";

/// Two kitchens (sites A and B of one territory), three batches, six sales (one voided, one of
/// the year before) and a loss at a freezer of site A.
fn hub_with_impact() -> WebHub {
    let hub = WebHub::start();
    let p = product(&hub, "Soupe", Some(365)).0;
    let q = product(&hub, "Ragoût", Some(365)).0;
    let (a, b) = (hub.site_a.0, hub.site_b.0);
    let sql = hub.sql();
    let territory: i64 = sql
        .query_row("SELECT territory_id FROM sites WHERE id = ?1", [a], |r| {
            r.get(0)
        })
        .unwrap();
    sql.execute(
        "INSERT INTO sources (id, name, kind) VALUES (1, 'Ferme', 'farm')",
        [],
    )
    .unwrap();
    for (id, day, site, grams) in [
        (1, "2026-03-02", a, 10_000),
        (2, "2026-03-05", b, 4_000),
        (3, "2026-04-01", a, 2_000),
        (4, "2025-11-01", a, 9_999),
    ] {
        sql.execute(
            "INSERT INTO intakes (id, received_on, source_id, description, category, received_g,
                                  site_id, created_at)
             VALUES (?1, ?2, 1, 'légumes', 'vegetables', ?3, ?4, '2026-01-01T00:00:00Z')",
            params![id, day, grams, site],
        )
        .unwrap();
    }
    for (id, day, site, product, packed, minutes) in [
        (1, "2026-03-10", a, p, 8_000, Some(180)),
        (2, "2026-03-12", b, q, 3_000, Some(90)),
        (3, "2026-04-02", a, p, 1_000, None),
    ] {
        sql.execute(
            "INSERT INTO production_batches (id, produced_on, site_id, participant_minutes,
                 product_id, packs, packed_g, lot, best_before, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, 'LOT' || ?1, '2027-01-01', '2026-01-01T00:00:00Z')",
            params![id, day, site, minutes, product, packed],
        )
        .unwrap();
    }
    for (batch, intake, used) in [(1, 1, 9_000), (2, 2, 3_500)] {
        sql.execute(
            "INSERT INTO batch_intakes (batch_id, intake_id, used_g) VALUES (?1, ?2, ?3)",
            params![batch, intake, used],
        )
        .unwrap();
    }
    sql.execute(
        "INSERT INTO kiosks (id, name, site_id, created_at, payment_methods, thresholds)
         VALUES (1, 'Borne Alpha', ?1, '2026-01-01T00:00:00Z', '[]', '{}')",
        [a],
    )
    .unwrap();
    for (n, site, day, card, product, quantity, voided) in [
        (1, a, "2026-03-20", 1u8, p, 3, 0),
        (2, a, "2026-03-21", 1, p, 1, 0),
        (3, b, "2026-03-22", 2, q, 2, 0),
        (4, a, "2026-03-23", 3, p, 1, 1),
        (5, a, "2026-04-03", 2, p, 2, 0),
        (6, a, "2025-12-30", 4, p, 1, 0),
    ] {
        let id = format!("sale-{n}");
        sql.execute(
            "INSERT INTO sales (id, kiosk_id, event_seq, site_id, territory_id, at, month,
                 household_id, card_hash, tier_id, items, full_cents, paid_cents, subsidy_cents,
                 tax_cents, net_weight_g, payment_method, payment_cents, cash_rounding_cents,
                 voided, day)
             VALUES (?1, 1, ?2, ?3, ?4, ?5 || 'T12:00:00Z', substr(?5, 1, 7), NULL, ?6, 1, ?7,
                     0, 0, 0, 0, ?8, 'cash', 0, 0, ?9, ?5)",
            params![
                id,
                n,
                site,
                territory,
                day,
                vec![card; 32],
                quantity,
                quantity * 500,
                voided
            ],
        )
        .unwrap();
        sql.execute(
            "INSERT INTO sale_lines (sale_id, line_no, kiosk_id, product_id, tier_id, month,
                 quantity, full_unit_cents, charged_unit_cents, unit_weight_g, tax_cents)
             VALUES (?1, 0, 1, ?2, 1, substr(?3, 1, 7), ?4, 0, 0, 500, 0)",
            params![id, product, day, quantity],
        )
        .unwrap();
    }
    sql.execute_batch(MONTHLY_ROLLUPS_FROM_SALES).unwrap();
    for (seq, kind, delta) in [(100, "loss", -2), (101, "restock", 10)] {
        sql.execute(
            "INSERT INTO stock_movements (kiosk_id, event_seq, id, product_id, lot, at, kind,
                 delta, loss_reason)
             VALUES (1, ?1, 'm' || ?1, ?2, 'LOT1', '2026-03-25T12:00:00Z', ?3, ?4, NULL)",
            params![seq, p, kind, delta],
        )
        .unwrap();
    }
    hub
}

fn json(browser: &mut super::common::web::Browser, path: &str) -> serde_json::Value {
    let reply = browser.get(path);
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).expect("json")
}

/// A row's figures: month, group name, and the seven measures (grams, minutes, households).
fn figures(row: &serde_json::Value) -> (String, String, Vec<Option<i64>>) {
    let measures = [
        "received_g",
        "packed_g",
        "prep_loss_g",
        "distributed_g",
        "freezer_loss_g",
        "participant_minutes",
        "households",
    ];
    (
        row["month"].as_str().unwrap_or_default().to_owned(),
        row["group"]["name"].as_str().unwrap_or_default().to_owned(),
        measures.iter().map(|m| row[m].as_i64()).collect(),
    )
}

#[test]
fn impact_figures_match_the_hand_worked_ones_by_month_site_and_product() {
    let hub = hub_with_impact();
    let mut viewer = hub.logged_in("viewer");
    let months = json(&mut viewer, "/reports/impact.json?year=2026");
    let rows: Vec<_> = months.as_array().unwrap().iter().map(figures).collect();
    assert_eq!(
        rows,
        vec![
            (
                "2026-03".into(),
                String::new(),
                [14_000, 11_000, 1_500, 3_000, 1_000, 270, 2]
                    .map(Some)
                    .to_vec()
            ),
            (
                "2026-04".into(),
                String::new(),
                [2_000, 1_000, 0, 1_000, 0, 0, 1].map(Some).to_vec()
            ),
        ]
    );
    let sites = json(&mut viewer, "/reports/impact.json?year=2026&by=site");
    let rows: Vec<_> = sites.as_array().unwrap().iter().map(figures).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[0],
        (
            "2026-03".into(),
            "Site A".into(),
            [10_000, 8_000, 1_000, 2_000, 1_000, 180, 1]
                .map(Some)
                .to_vec()
        )
    );
    assert_eq!(
        rows[1],
        (
            "2026-03".into(),
            "Site B".into(),
            [4_000, 3_000, 500, 1_000, 0, 90, 1].map(Some).to_vec()
        )
    );
    let products = json(&mut viewer, "/reports/impact.json?year=2026&by=product");
    let rows: Vec<_> = products.as_array().unwrap().iter().map(figures).collect();
    assert_eq!(
        rows[0],
        (
            "2026-03".into(),
            "Soupe".into(),
            vec![
                None,
                Some(8_000),
                Some(1_000),
                Some(2_000),
                Some(1_000),
                Some(180),
                Some(1)
            ]
        ),
        "an intake has no product: its kg are blank"
    );
    let page = viewer.get("/reports/impact?year=2026&by=product");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Par produit, les kg reçus sont vides"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("0101010101"),
        "no card hash is ever shown"
    );
}

#[test]
fn the_csv_carries_the_pages_figures() {
    let hub = hub_with_impact();
    let mut viewer = hub.logged_in("viewer");
    let csv = viewer.get("/reports/impact.csv?year=2026&by=site");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "month,group_id,group,kg_received,kg_packed,kg_lost_in_preparation,kg_distributed,\
         kg_lost_in_freezers,participant_hours,households"
    );
    let a = hub.site_a.0;
    assert_eq!(
        lines[1],
        format!("2026-03,{a},Site A,10.000,8.000,1.000,2.000,1.000,3.00,1")
    );
    let page = viewer.get("/reports/impact?year=2026&by=site");
    assert_eq!(page.status, 200);
    for cell in ["Site A", "10,0", "8,0", "2,0", "3,0"] {
        assert!(
            page.body.contains(&format!(">{cell}<")),
            "{cell}: {}",
            page.body
        );
    }
    assert!(
        page.body
            .contains("/reports/impact.csv?year=2026&#38;by=site")
    );
}

#[test]
fn site_staff_see_their_own_kitchen_and_freezers_only() {
    let hub = hub_with_impact();
    let mut staff = hub.logged_in("staff-b");
    let rows = json(&mut staff, "/reports/impact.json?year=2026");
    let rows: Vec<_> = rows.as_array().unwrap().iter().map(figures).collect();
    assert_eq!(
        rows,
        vec![(
            "2026-03".into(),
            String::new(),
            [4_000, 3_000, 500, 1_000, 0, 90, 1].map(Some).to_vec()
        )]
    );
    assert_eq!(staff.get("/reports/impact/year?year=2026").status, 200);
    assert_eq!(hub.browser().get("/reports/impact").status, 303);
    let mut viewer = hub.logged_in("viewer");
    assert_eq!(viewer.get("/reports/impact?year=soon").status, 422);
    assert_eq!(viewer.get("/reports/impact.json?by=household").status, 400);
}

#[test]
fn the_year_on_one_page_has_its_totals_and_three_charts() {
    let hub = hub_with_impact();
    let mut viewer = hub.logged_in("viewer");
    let page = viewer.get("/reports/impact/year?year=2026");
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body.matches("<svg ").count(), 3);
    for figure in ["16,0 kg", "12,0 kg", "4,0 kg", "1,5 kg", "4,5"] {
        assert!(page.body.contains(figure), "{figure}: {}", page.body);
    }
    assert!(page.body.contains("impact-year"));
    assert!(page.body.contains("(kg)"), "the axis says its unit");
}

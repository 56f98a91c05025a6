//! Files the pages load, compiled into the hub: the stylesheet and the product pictograms.
//!
//! The pictograms are the vendored set under `assets/pictograms/products/` (a test checks this
//! list matches the folder); a product's `pictogram` field names one of them by its file stem.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::error::WebError;

/// The pages' stylesheet (screen and print).
pub const HUB_CSS: &str = include_str!("../../../assets/hub/hub.css");

macro_rules! pictograms {
    ($($stem:literal),* $(,)?) => {
        /// Every product pictogram: (file stem, SVG text), sorted by stem.
        pub const PRODUCT_PICTOGRAMS: &[(&str, &str)] = &[
            $(($stem, include_str!(concat!("../../../assets/pictograms/products/", $stem, ".svg"))),)*
        ];
    };
}

pictograms!(
    "apple",
    "bell-pepper",
    "blueberries",
    "broccoli",
    "carrot",
    "corn",
    "eggplant",
    "garlic",
    "green-beans",
    "mixed-vegetables",
    "mushroom",
    "onion",
    "peas",
    "potato",
    "raspberries",
    "rhubarb",
    "spinach",
    "strawberry",
    "tomato",
    "zucchini",
);

/// Whether `stem` names a vendored product pictogram.
pub fn is_pictogram(stem: &str) -> bool {
    PRODUCT_PICTOGRAMS.iter().any(|(s, _)| *s == stem)
}

pub async fn css() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        HUB_CSS,
    )
        .into_response()
}

/// `/assets/pictograms/products/{stem}.svg`.
pub async fn pictogram(Path(file): Path<String>) -> Result<Response, WebError> {
    let stem = file.strip_suffix(".svg").ok_or(WebError::NotFound)?;
    let (_, svg) = PRODUCT_PICTOGRAMS
        .iter()
        .find(|(s, _)| *s == stem)
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        *svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_matches_the_vendored_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/pictograms/products");
        let mut stems: Vec<String> = std::fs::read_dir(dir)
            .expect("folder exists")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".svg").map(str::to_owned))
            .collect();
        stems.sort();
        let listed: Vec<&str> = PRODUCT_PICTOGRAMS.iter().map(|(s, _)| *s).collect();
        assert_eq!(stems, listed);
    }
}

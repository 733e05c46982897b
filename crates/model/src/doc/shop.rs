//! The typed view of an item of the 积分超市 (`shop_item:`): its name, price in points,
//! stock (absent: unlimited) and whether it is still on offer. The checks of these fields
//! are `points::doc::check`; shapes only here.

use super::Meta;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An item of the station's points shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopItem {
    /// Common fields.
    #[serde(flatten)]
    pub meta: Meta,
    /// e.g. 洗衣粉.
    pub name: String,
    /// The price of one, in points.
    pub points: u32,
    /// How many were ever put on the shelf (`None`: unlimited).
    #[serde(default)]
    pub stock: Option<u64>,
    /// `Some(false)` once withdrawn (下架); absent means on offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Fields this version does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ShopItem {
    /// Whether it is still on offer.
    pub fn on_offer(&self) -> bool {
        self.active != Some(false)
    }
}

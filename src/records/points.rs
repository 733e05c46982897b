//! 志愿积分 on the phone: the station's rules versions, a volunteer's ledger, 奖励 / 扣减,
//! the 积分超市 (items, stock left, redeeming) and the 光荣榜. Every figure comes from
//! `model::points`; this module only reads the documents it needs and writes new ones.
//! A redemption is checked against the stock and the balance this phone knows
//! (`can_redeem`, `can_take`) before it is written; one made on another phone offline may
//! still overdraw, which the ledger shows (积分透支). Must not render anything.

use super::people::{merged, save};
use super::{new_base, now, RecordError};
use crate::collate::sort_by_name;
use crate::profile::Profile;
use crate::store::{Relation, Store, StoreError};
use model::points::doc::{rules_from_docs, stock_left};
use model::points::roll::{earned_all, honour_roll, RollLine};
use model::points::{can_redeem, can_take, earned, ledger, Ledger, PointsRules, RuleVersion};
use model::{DocType, ShopItem};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The station's rules, every version.
pub async fn rules(store: &Store) -> Result<PointsRules, StoreError> {
    Ok(rules_from_docs(
        &store.all_of_type("points_rules", u32::MAX).await?,
    ))
}

/// Saves a rules version as its own document (a version for the same date replaces the
/// earlier one in force: the later edit wins).
pub async fn save_rules(
    store: &Store,
    profile: &Profile,
    version: &RuleVersion,
) -> Result<String, RecordError> {
    let mut fields = serde_json::to_value(version).unwrap_or_default();
    fields["updated_at"] = json!(now());
    save(
        store,
        merged(new_base(DocType::PointsRules, profile), fields),
    )
    .await
}

/// A volunteer's ledger, and the titles of the activities its lines came from.
#[derive(Debug, Clone, PartialEq)]
pub struct VolunteerPoints {
    /// Every entry, the balance and any overdraw.
    pub ledger: Ledger,
    /// Activity id → title.
    pub titles: HashMap<String, String>,
    /// Redemption id → the item's name when it was redeemed.
    pub items: HashMap<String, String>,
}

/// The ledger of `volunteer` (rules 2–6 of `model::points`).
pub async fn volunteer_points(
    store: &Store,
    volunteer: &str,
) -> Result<VolunteerPoints, StoreError> {
    let redemptions = store.all_of_type("redemption", u32::MAX).await?;
    points_with(store, volunteer, &redemptions).await
}

/// The ledger of `volunteer` given every redemption (any volunteer's), already read.
async fn points_with(
    store: &Store,
    volunteer: &str,
    redemptions: &[Value],
) -> Result<VolunteerPoints, StoreError> {
    let rules = rules(store).await?;
    let attendance = store
        .related(Relation::AttendanceByVolunteer, volunteer, u32::MAX)
        .await?;
    let ids: Vec<String> = attendance
        .iter()
        .filter_map(|a| a["activity_id"].as_str().map(str::to_owned))
        .collect();
    let activities = store.get_records(&ids).await?;
    let mut titles = HashMap::new();
    let mut lines = Vec::new();
    for a in &attendance {
        let id = a["activity_id"].as_str().unwrap_or_default();
        let Some(act) = activities.get(id).and_then(|r| r.winner_doc()) else {
            continue;
        };
        titles.insert(
            id.to_owned(),
            act["title"].as_str().unwrap_or_default().to_owned(),
        );
        lines.push(earned(a, &act, &rules));
    }
    let adjustments = store.all_of_type("points_adjustment", u32::MAX).await?;
    let items = redemptions
        .iter()
        .filter(|r| r["volunteer_id"] == volunteer)
        .filter_map(|r| {
            Some((
                r["_id"].as_str()?.to_owned(),
                r["item_name"].as_str()?.to_owned(),
            ))
        })
        .collect();
    Ok(VolunteerPoints {
        ledger: ledger(volunteer, &lines, &adjustments, redemptions),
        titles,
        items,
    })
}

/// 奖励 (positive `points`) or 扣减 (negative) with a reason.
pub async fn adjust(
    store: &Store,
    profile: &Profile,
    volunteer: &str,
    points: i64,
    reason: &str,
) -> Result<String, RecordError> {
    let at = now();
    let fields = json!({"volunteer_id": volunteer, "points": points, "reason": reason.trim(),
        "at": at, "updated_at": at});
    save(
        store,
        merged(new_base(DocType::PointsAdjustment, profile), fields),
    )
    .await
}

/// An item of the shop with what is left of its stock.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopRow {
    /// The item.
    pub item: ShopItem,
    /// Stock left (`None`: unlimited); below zero only after an offline overdraw.
    pub left: Option<i64>,
}

/// The shop's items on offer (not withdrawn) in pinyin order, each with its stock left.
pub async fn shop(store: &Store) -> Result<Vec<ShopRow>, StoreError> {
    let mut items = store.all_as::<ShopItem>().await?;
    items.retain(ShopItem::on_offer);
    sort_by_name(&mut items, |i| &i.name);
    let redemptions = store.all_of_type("redemption", u32::MAX).await?;
    Ok(items
        .into_iter()
        .map(|item| ShopRow {
            left: stock_left(&item, &redemptions),
            item,
        })
        .collect())
}

/// Saves a shop item (new when `existing` is `None`). `on_shelf` is what is on the shelf
/// now (`None`: unlimited); the stored `stock` is that plus what was already redeemed,
/// since the stock left is always `stock` minus the redemptions.
pub async fn save_item(
    store: &Store,
    profile: &Profile,
    existing: Option<&ShopRow>,
    name: &str,
    points: u32,
    on_shelf: Option<u32>,
) -> Result<String, RecordError> {
    let (base, taken) = match existing {
        Some(row) => {
            let stock = row.item.stock.map(|s| s as i64);
            let taken = stock.zip(row.left).map_or(0, |(s, l)| (s - l).max(0));
            (store.get(&row.item.meta.id).await?, taken as u64)
        }
        None => (new_base(DocType::ShopItem, profile), 0),
    };
    let stock = on_shelf.map(|n| u64::from(n) + taken);
    let fields = json!({"name": name.trim(), "points": points, "stock": stock,
        "active": true, "updated_at": now()});
    save(store, merged(base, fields)).await
}

/// 下架: takes the item `item_id` off the shop (its redemptions keep its name).
pub async fn withdraw_item(store: &Store, item_id: &str) -> Result<String, RecordError> {
    let item = store.get(item_id).await?;
    let fields = json!({"active": false, "updated_at": now()});
    save(store, merged(item, fields)).await
}

/// Redeems `quantity` of `item` for `volunteer`: refused (nothing written) when it asks
/// for more than the stock left or costs more than the balance.
pub async fn redeem(
    store: &Store,
    profile: &Profile,
    volunteer: &str,
    item_id: &str,
    quantity: u32,
) -> Result<String, RecordError> {
    let item = super::find::<ShopItem>(store, item_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(item_id.to_owned()))?;
    let price = u64::from(item.points);
    let cost = u32::try_from(price * u64::from(quantity)).unwrap_or(u32::MAX);
    // The stock first: an item that is gone is gone whoever asks.
    let redemptions = store.all_of_type("redemption", u32::MAX).await?;
    can_take(stock_left(&item, &redemptions), quantity)?;
    let balance = points_with(store, volunteer, &redemptions)
        .await?
        .ledger
        .balance;
    can_redeem(balance, cost)?;
    let at = now();
    let fields = json!({"volunteer_id": volunteer, "item_id": item_id,
        "item_name": item.name, "quantity": quantity, "points": cost,
        "at": at, "updated_at": at});
    save(
        store,
        merged(new_base(DocType::Redemption, profile), fields),
    )
    .await
}

/// One line of the 光荣榜 with the volunteer's name and station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollEntry {
    /// The volunteer's name.
    pub name: String,
    /// The volunteer's station code (a headquarters phone ranks each station apart).
    pub station: String,
    /// The volunteer and the points.
    pub line: RollLine,
}

/// The 光荣榜 of `period` (`YYYY` or `YYYY-MM`) over every station on this phone, highest
/// first; a station's own ranking is its entries in this order.
pub async fn roll(store: &Store, period: &str) -> Result<Vec<RollEntry>, StoreError> {
    let mut docs = store.all_of_type("points_rules", u32::MAX).await?;
    docs.extend(store.all_of_type("activity", u32::MAX).await?);
    docs.extend(store.all_of_type("attendance", u32::MAX).await?);
    let lines = earned_all(&docs);
    let adjustments = store.all_of_type("points_adjustment", u32::MAX).await?;
    let people: HashMap<String, (String, String)> = store
        .all_of_type("volunteer", u32::MAX)
        .await?
        .into_iter()
        .filter_map(|v| {
            let who = (
                v["name"].as_str()?.to_owned(),
                v["station"].as_str()?.to_owned(),
            );
            Some((v["_id"].as_str()?.to_owned(), who))
        })
        .collect();
    Ok(honour_roll(&lines, &adjustments, period)
        .into_iter()
        .map(|line| {
            let (name, station) = people.get(&line.volunteer_id).cloned().unwrap_or_default();
            RollEntry {
                name,
                station,
                line,
            }
        })
        .collect())
}

//! 审核 as the cadre sees it: where an activity stands with headquarters, and the 待修改
//! list (forums headquarters returned and nobody has edited since). Reads review
//! documents (`review:<activity id>`, written by headquarters and received by sync)
//! through the store's typed reads; the rules are `model::review`'s. Writes nothing: a
//! phone never writes a review (the hub refuses it).

use crate::store::{Store, StoreError};
use model::review::{state, Review, ReviewState};
use model::Activity;

/// Where `activity` (as read, at its current revision) stands with headquarters.
pub async fn state_of(store: &Store, activity: &Activity) -> Result<ReviewState, StoreError> {
    let review = store
        .find_as::<Review>(&model::id::review_id(&activity.meta.id))
        .await?;
    let rev = activity.meta.rev.as_deref().unwrap_or_default();
    Ok(state(rev, review.as_ref()))
}

/// The forums returned and not edited since, with headquarters' reason, newest first.
/// Reviews are few (one per reviewed activity), so this reads them all and then only
/// their activities.
pub async fn to_fix(store: &Store) -> Result<Vec<(Activity, String)>, StoreError> {
    let mut out = Vec::new();
    for review in store.all_as::<Review>().await? {
        if review.verdict != model::review::Verdict::Returned {
            continue;
        }
        let Some(activity) = store.find_as::<Activity>(&review.activity).await? else {
            continue;
        };
        let rev = activity.meta.rev.as_deref().unwrap_or_default();
        if let ReviewState::Returned(reason) = state(rev, Some(&review)) {
            out.push((activity, reason));
        }
    }
    out.sort_by(|a, b| b.0.start.cmp(&a.0.start));
    Ok(out)
}

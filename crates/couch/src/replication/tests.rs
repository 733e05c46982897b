use super::*;
use crate::wire::CheckpointHistory;
use serde_json::json;

fn cp(session: &str, seq: u64, history: &[(&str, u64)]) -> Checkpoint {
    Checkpoint {
        id: "_local/x".into(),
        rev: None,
        session_id: session.into(),
        source_last_seq: Seq(json!(seq)),
        history: history
            .iter()
            .map(|(s, n)| CheckpointHistory {
                session_id: (*s).into(),
                recorded_seq: Seq(json!(n)),
            })
            .collect(),
        replication_id_version: 1,
    }
}

#[test]
fn the_replication_id_is_stable_and_distinct_per_database_server_and_direction() {
    let id = replication_id("yehua", "http://hub/couch/station_1", Direction::Push);
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        id,
        replication_id("yehua", "http://hub/couch/station_1", Direction::Push)
    );
    for other in [
        replication_id("yehua", "http://hub/couch/station_1", Direction::Pull),
        replication_id("yehua", "http://hub/couch/station_2", Direction::Push),
        replication_id("yehua-b", "http://hub/couch/station_1", Direction::Push),
        // The parts are separated, so moving a character across a boundary changes it.
        replication_id("yehuah", "ttp://hub/couch/station_1", Direction::Push),
    ] {
        assert_ne!(id, other);
    }
}

#[test]
fn both_checkpoints_of_one_session_resume_at_its_sequence() {
    let l = cp("s3", 300, &[("s3", 300), ("s2", 200)]);
    let r = cp("s3", 300, &[("s3", 300), ("s2", 200)]);
    assert_eq!(resume_seq(Some(&l), Some(&r)), Seq(json!(300)));
}

#[test]
fn a_remote_behind_by_a_session_resumes_at_the_newest_session_both_know() {
    // The phone wrote s3 locally, but the remote write of s3 was lost (the link dropped
    // between the two writes): the remote's newest is s2.
    let l = cp("s3", 300, &[("s3", 300), ("s2", 200), ("s1", 100)]);
    let r = cp("s2", 200, &[("s2", 200), ("s1", 100)]);
    assert_eq!(resume_seq(Some(&l), Some(&r)), Seq(json!(200)));
}

#[test]
fn nothing_in_common_or_a_missing_side_starts_from_zero() {
    let l = cp("s3", 300, &[("s3", 300)]);
    // The server's data was reset: its checkpoint is another replication's history.
    let r = cp("t9", 50, &[("t9", 50)]);
    assert_eq!(resume_seq(Some(&l), Some(&r)), Seq::zero());
    // The phone was reinstalled, or the server never got a checkpoint.
    assert_eq!(resume_seq(None, Some(&r)), Seq::zero());
    assert_eq!(resume_seq(Some(&l), None), Seq::zero());
}

#[test]
fn opaque_sequences_of_couchdb_resume_as_they_were_written() {
    let seq = "12-g1AAAABXeJzLYWBgYMpgTmHgz8tPSTV0MDQy1zMAQsMcoEQiQ1L9____szKYE5lzgQLsxklJhgYWJtgMwKGPPwFIkpwHtYUZbEtSaqqJpQkWfQCmSxrr";
    let mut l = cp("s1", 0, &[]);
    l.source_last_seq = Seq(json!(seq));
    let r = l.clone();
    assert_eq!(resume_seq(Some(&l), Some(&r)), Seq(json!(seq)));
}

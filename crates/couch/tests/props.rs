//! Property tests of the revision tree: merging is order- and repeat-independent, the
//! winner is always a leaf chosen by CouchDB's rule, and stemming never drops a leaf.

use couch::{RevId, RevTree};
use proptest::prelude::*;

/// A random revision forest: node i (> 0 roots aside) has a parent among 0..i.
fn forest() -> impl Strategy<Value = Vec<(Option<usize>, u8, bool)>> {
    prop::collection::vec(
        (
            any::<Option<prop::sample::Index>>(),
            any::<u8>(),
            any::<bool>(),
        ),
        1..24,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (p, h, d))| (if i == 0 { None } else { p.map(|p| p.index(i)) }, h, d))
            .collect()
    })
}

/// Every node's full path (newest first) plus its deleted flag, as replication sends.
fn paths(forest: &[(Option<usize>, u8, bool)]) -> Vec<(Vec<RevId>, bool)> {
    let gen = |mut i: usize| {
        let mut g = 1;
        while let Some(p) = forest[i].0 {
            g += 1;
            i = p;
        }
        g
    };
    let rev = |i: usize| RevId::new(gen(i), format!("{:02x}{i:03}", forest[i].1));
    (0..forest.len())
        .map(|i| {
            let mut path = vec![rev(i)];
            let mut at = i;
            while let Some(p) = forest[at].0 {
                path.push(rev(p));
                at = p;
            }
            (path, forest[i].2)
        })
        .collect()
}

fn build(paths: &[(Vec<RevId>, bool)], order: &[usize]) -> RevTree {
    let mut t = RevTree::new();
    for &i in order {
        t.merge(&paths[i].0, paths[i].1 && is_leaf_path(paths, i));
    }
    t
}

/// Only leaves carry a meaningful deleted flag; an ancestor's flag is irrelevant.
fn is_leaf_path(paths: &[(Vec<RevId>, bool)], i: usize) -> bool {
    let me = &paths[i].0[0];
    !paths.iter().any(|(p, _)| p.len() > 1 && &p[1] == me)
}

proptest! {
    #[test]
    fn merge_is_order_and_repeat_independent(
        f in forest(),
        seed in any::<u64>(),
        repeats in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
    ) {
        let ps = paths(&f);
        let straight: Vec<usize> = (0..ps.len()).collect();
        let mut shuffled = straight.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        shuffled.extend(repeats.iter().map(|r| r.index(ps.len())));
        let a = build(&ps, &straight);
        let b = build(&ps, &shuffled);
        prop_assert_eq!(a.leaves(), b.leaves());
        prop_assert_eq!(a.winner(), b.winner());
        prop_assert_eq!(&a, &b);
    }

    #[test]
    fn winner_is_the_best_leaf(f in forest()) {
        let ps = paths(&f);
        let t = build(&ps, &(0..ps.len()).collect::<Vec<_>>());
        let w = t.winner().expect("a non-empty tree has a winner");
        let leaves = t.leaves();
        prop_assert!(leaves.contains(&w));
        for l in &leaves {
            // CouchDB: live before deleted, then generation, then hash.
            prop_assert!((!w.deleted, w.rev.pos, &w.rev.hash) >= (!l.deleted, l.rev.pos, &l.rev.hash));
        }
    }

    #[test]
    fn stemming_never_drops_a_leaf(f in forest(), limit in 1usize..6) {
        let ps = paths(&f);
        let mut t = build(&ps, &(0..ps.len()).collect::<Vec<_>>());
        let before = t.leaves();
        let winner = t.winner();
        let full: Vec<Vec<RevId>> = before.iter().map(|l| t.path(&l.rev)).collect();
        t.stem(limit);
        prop_assert_eq!(t.leaves(), before);
        prop_assert_eq!(t.winner(), winner);
        // Each leaf keeps its newest `limit` ancestors...
        for path in &full {
            let kept = t.path(&path[0]);
            prop_assert_eq!(&kept[..limit.min(path.len())], &path[..limit.min(path.len())]);
        }
        // ...and nothing farther than `limit` from every leaf survives.
        let near: std::collections::BTreeSet<&RevId> = full.iter().flat_map(|p| p.iter().take(limit)).collect();
        for path in &full {
            for rev in path {
                prop_assert_eq!(t.contains(rev), near.contains(rev));
            }
        }
    }

    /// Peers with a low revs limit send paths with their oldest revisions cut off. The
    /// merge must still be order- and repeat-independent, find exactly the revisions no
    /// path names a child of, and never report a deleted document as live.
    #[test]
    fn truncated_paths_merge_the_same_in_any_order(
        f in forest(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 24),
        seed in any::<u64>(),
    ) {
        let full = paths(&f);
        let cut: Vec<(Vec<RevId>, bool)> = full
            .iter()
            .enumerate()
            .map(|(i, (p, d))| (p[..1 + cuts[i].index(p.len())].to_vec(), *d && is_leaf_path(&full, i)))
            .collect();
        let mut order: Vec<usize> = (0..cut.len()).chain(0..cut.len()).collect();
        let mut s = seed;
        for i in (1..order.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        let merge = |order: &[usize]| {
            let mut t = RevTree::new();
            for &i in order {
                t.merge(&cut[i].0, cut[i].1);
            }
            t
        };
        let (a, b) = (merge(&(0..cut.len()).collect::<Vec<_>>()), merge(&order));
        prop_assert_eq!(&a, &b);
        let named_parents: std::collections::BTreeSet<&RevId> =
            cut.iter().flat_map(|(p, _)| p.iter().skip(1)).collect();
        let expected: Vec<RevId> = {
            let mut all: Vec<RevId> = cut.iter().flat_map(|(p, _)| p.iter().cloned()).collect();
            all.sort();
            all.dedup();
            all.into_iter().filter(|r| !named_parents.contains(r)).collect()
        };
        prop_assert_eq!(a.leaves().into_iter().map(|l| l.rev).collect::<Vec<_>>(), expected);
        let w = a.winner().expect("non-empty");
        let deleted_leaf = |r: &RevId| cut.iter().any(|(p, d)| &p[0] == r && *d);
        prop_assert_eq!(w.deleted, deleted_leaf(&w.rev));
    }
}

//! Generated designs of any size, for benchmarks and load tests: rows of the T01 pipeline
//! (Kinesis -> S3 -> Glue -> Athena -> SageMaker -> QuickSight), each row in its own Region box.

use super::{Design, Edge, EdgeKind, Group, GroupKind, Node, Pos};

const STAGES: [(&str, EdgeKind); 6] = [
    ("kinesis_data_streams", EdgeKind::Data),
    ("s3", EdgeKind::Data),
    ("glue", EdgeKind::Catalog),
    ("athena", EdgeKind::Catalog),
    ("sagemaker", EdgeKind::Data),
    ("quicksight", EdgeKind::Data),
];

/// A design of about `nodes` nodes: chains of six stages, `spacing` units apart, one Region
/// group per chain.
pub fn pipelines(nodes: usize, spacing: f32) -> Design {
    let chains = nodes.div_ceil(STAGES.len());
    let mut d = Design {
        title: format!("{chains} generated pipelines"),
        ..Design::default()
    };
    for c in 0..chains {
        let mut group = Group::new(format!("region_{c}"), GroupKind::Region);
        group.label = format!("pipeline {c}");
        for (s, (service, kind)) in STAGES.iter().enumerate() {
            if d.nodes.len() == nodes {
                break;
            }
            let id = format!("n{c}_{s}");
            let mut node = Node::new(
                id.clone(),
                *service,
                Pos::new(s as f32 * spacing, c as f32 * spacing),
            );
            node.label = format!("{service} {c}");
            if s > 0 {
                d.edges
                    .push(Edge::new(format!("n{c}_{}", s - 1), id.clone(), *kind));
            }
            group.children.push(id);
            d.nodes.push(node);
        }
        d.groups.push(group);
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_designs_are_valid_and_sized() {
        let d = super::pipelines(600, 200.0);
        assert_eq!(d.nodes.len(), 600);
        assert_eq!(d.edges.len(), 500);
        assert!(d.validate().is_ok());
        assert_eq!(super::pipelines(10, 100.0).nodes.len(), 10);
    }
}

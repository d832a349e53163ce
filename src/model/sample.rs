//! Generated designs of any size, for benchmarks and load tests: rows of the T01 pipeline
//! (Kinesis -> S3 -> Glue -> Athena -> SageMaker -> QuickSight), each row in its own Region box;
//! a fan-out of many edges between few nodes; a deep nest of boxes. Each shape stresses a
//! different way a design can grow.

use super::{Design, Edge, EdgeKind, Group, GroupId, GroupKind, Node, NodeId, Pos};

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
    let mut d = Design::titled(format!("{chains} generated pipelines"));
    let mut placed = 0;
    for c in 0..chains {
        let mut group = Group::new(GroupId::made(format!("region_{c}")), GroupKind::Region);
        group.label = format!("pipeline {c}");
        for (s, (service, kind)) in STAGES.iter().enumerate() {
            if placed == nodes {
                break;
            }
            let id = NodeId::made(format!("n{c}_{s}"));
            let mut node = Node::new(
                id.clone(),
                *service,
                Pos::new(s as f32 * spacing, c as f32 * spacing),
            );
            node.label = format!("{service} {c}");
            if s > 0 {
                let from = NodeId::made(format!("n{c}_{}", s - 1));
                d.push_edge(Edge::new(from, &id, *kind));
            }
            group.children.push(id.into());
            d.push_built_node(node);
            placed += 1;
        }
        d.push_built_group(group);
    }
    d
}

/// `nodes` Lambda functions on a grid, each sending data to the next `edges / nodes` ones: a
/// design whose edges outnumber its nodes.
pub fn fan_out(nodes: usize, edges: usize) -> Design {
    let side = (nodes as f32).sqrt().ceil().max(1.0) as usize;
    let mut d = Design::titled(format!("{nodes} functions, {edges} edges"));
    for i in 0..nodes {
        let pos = Pos::new((i % side) as f32 * 160.0, (i / side) as f32 * 160.0);
        d.push_built_node(Node::new(NodeId::made(format!("f{i}")), "lambda", pos));
    }
    let per_node = edges.div_ceil(nodes.max(1)).min(nodes.saturating_sub(1));
    'fill: for step in 1..=per_node {
        for i in 0..nodes {
            if d.edges().len() == edges {
                break 'fill;
            }
            let to = (i + step) % nodes;
            let (from, to) = (format!("f{i}"), format!("f{to}"));
            d.push_edge(Edge::new(
                NodeId::made(from),
                NodeId::made(to),
                EdgeKind::Data,
            ));
        }
    }
    d
}

/// `depth` boxes, each inside the one before, each holding one S3 bucket: nesting as deep as
/// a design can get.
pub fn nested(depth: usize) -> Design {
    let mut d = Design::titled(format!("{depth} nested boxes"));
    for i in 0..depth {
        let mut group = Group::new(GroupId::made(format!("g{i}")), GroupKind::Generic);
        let id = NodeId::made(format!("b{i}"));
        d.push_built_node(Node::new(
            id.clone(),
            "s3",
            Pos::new(i as f32 * 4.0, i as f32 * 4.0),
        ));
        group.children.push(id.into());
        if i + 1 < depth {
            let inner = GroupId::made(format!("g{}", i + 1));
            group.children.push(inner.into());
        }
        d.push_built_group(group);
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_designs_are_valid_and_sized() {
        let d = super::pipelines(600, 200.0);
        assert_eq!(d.nodes().len(), 600);
        assert_eq!(d.edges().len(), 500);
        assert!(d.validate().is_ok());
        assert_eq!(super::pipelines(10, 100.0).nodes().len(), 10);
        let fan = super::fan_out(100, 500);
        assert_eq!((fan.nodes().len(), fan.edges().len()), (100, 500));
        assert!(fan.validate().is_ok());
        let deep = super::nested(50);
        assert_eq!((deep.nodes().len(), deep.groups().len()), (50, 50));
        assert!(deep.validate().is_ok());
    }
}

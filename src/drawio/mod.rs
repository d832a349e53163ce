//! draw.io files both ways: a design written as an ordinary draw.io diagram of AWS shapes
//! (services as `mxgraph.aws4` icons, groups as nested AWS group containers, edges connected
//! and orthogonal), and draw.io diagrams read back as designs. Which shape stands for which
//! service is data, in `assets/drawio-shapes.ron`.

mod read;
mod shapes;
mod style;
mod write;

pub use read::{import_drawio, is_drawio};
pub use write::to_drawio;

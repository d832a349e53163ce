//! draw.io files both ways: a design written as an ordinary draw.io diagram of AWS shapes
//! (services as `mxgraph.aws4` icons, groups as nested AWS group containers, edges connected
//! and orthogonal), and draw.io diagrams read back as designs, every page and every AWS
//! stencil family draw.io has shipped. Which shape stands for which service is data, in
//! `assets/drawio-shapes.ron`.

mod build;
mod cells;
mod depth;
mod pages;
mod read;
mod role;
mod shapes;
mod style;
mod write;

pub use read::{
    Page, PagePick, choose, import_drawio, import_drawio_page, import_pages, is_drawio, listing,
    no_aws_shape,
};
pub use write::to_drawio;

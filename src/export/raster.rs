//! PNG and PDF from the exported SVG: usvg parses it with the bundled font, resvg rasterises
//! it (in horizontal bands on every core) and svg2pdf turns it into a vector PDF.

use std::sync::{Arc, LazyLock};

use resvg::tiny_skia;
use resvg::usvg;

use super::{ExportError, RasterSize};

/// The largest side, in pixels, a PNG may have.
pub const MAX_SIDE: u32 = 16_384;

/// The font database: the Ubuntu face egui draws the window with, so exports match it.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    let family = db
        .faces()
        .next()
        .and_then(|f| f.families.first())
        .map(|f| f.0.clone());
    if let Some(family) = family {
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family);
    }
    Arc::new(db)
});

fn parse(svg: &str) -> Result<usvg::Tree, ExportError> {
    let options = usvg::Options {
        fontdb: FONTS.clone(),
        font_family: "Ubuntu".into(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Render(e.to_string()))
}

/// Pixel size of the image for an SVG of `w` x `h` units.
pub fn pixel_size(w: f32, h: f32, size: RasterSize) -> (u32, u32, f32) {
    let scale = match size {
        RasterSize::Scale(s) => s,
        RasterSize::Width(px) => px as f32 / w.max(1.0),
    };
    let pw = match size {
        RasterSize::Width(px) => px,
        RasterSize::Scale(_) => (w * scale).round() as u32,
    };
    (pw.max(1), ((h * scale).round() as u32).max(1), scale)
}

/// Rasterises an SVG to PNG bytes.
pub fn to_png(svg: &str, size: RasterSize, transparent: bool) -> Result<Vec<u8>, ExportError> {
    let tree = parse(svg)?;
    let (w, h, scale) = pixel_size(tree.size().width(), tree.size().height(), size);
    if w > MAX_SIDE || h > MAX_SIDE || !scale.is_finite() || scale <= 0.0 {
        return Err(ExportError::TooLarge(w, h));
    }
    let rgba = render_bands(&tree, w, h, scale, transparent)?;
    let mut png = Vec::with_capacity(rgba.len() / 8);
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    image::ImageEncoder::write_image(encoder, &rgba, w, h, image::ExtendedColorType::Rgba8)
        .map_err(|e| ExportError::Render(e.to_string()))?;
    Ok(png)
}

/// Renders the tree into straight (not premultiplied) RGBA, one horizontal band per core.
fn render_bands(
    tree: &usvg::Tree,
    w: u32,
    h: u32,
    scale: f32,
    transparent: bool,
) -> Result<Vec<u8>, ExportError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8) as u32;
    let bands = if (w as u64) * (h as u64) < 1_000_000 {
        1
    } else {
        threads.min(h)
    };
    let band_h = h.div_ceil(bands);
    let results: Vec<Result<Vec<u8>, ExportError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..bands)
            .map(|b| {
                let y0 = b * band_h;
                let bh = band_h.min(h - y0);
                scope.spawn(move || {
                    let mut pixmap =
                        tiny_skia::Pixmap::new(w, bh).ok_or(ExportError::TooLarge(w, h))?;
                    if !transparent {
                        pixmap.fill(tiny_skia::Color::WHITE);
                    }
                    let transform =
                        tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, 0.0, -(y0 as f32));
                    resvg::render(tree, transform, &mut pixmap.as_mut());
                    let mut rgba = Vec::with_capacity((w * bh * 4) as usize);
                    for p in pixmap.pixels() {
                        let c = p.demultiply();
                        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
                    }
                    Ok(rgba)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(ExportError::Render("a rendering thread failed".into()))
                })
            })
            .collect()
    });
    let mut out = Vec::with_capacity((w * h * 4) as usize);
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// Converts an SVG to a one-page vector PDF sized to the diagram (1 unit = 1 pt).
pub fn to_pdf(svg: &str) -> Result<Vec<u8>, ExportError> {
    let tree = parse(svg)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: 72.0 },
    )
    .map_err(|e| ExportError::Render(format!("{e:?}")))
}

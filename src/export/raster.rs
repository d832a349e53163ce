//! PNG and PDF from the exported SVG: usvg parses it with the bundled font, resvg rasterises
//! it (in horizontal bands on every core) and svg2pdf turns it into a vector PDF.

use std::sync::{Arc, LazyLock};

use resvg::tiny_skia;
use resvg::usvg;

use super::{ExportError, ExportOptions, RasterSize};
use crate::model::{Design, Pos, Rect};

/// The largest side, in pixels, an image may have.
pub const MAX_SIDE: u32 = 65_535;
/// The most pixels an image may have (1 GiB of RGBA).
pub const MAX_PIXELS: u64 = 256 * 1024 * 1024;

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

fn check_size(w: u32, h: u32, scale: f32) -> Result<(), ExportError> {
    if w > MAX_SIDE
        || h > MAX_SIDE
        || (w as u64) * (h as u64) > MAX_PIXELS
        || !scale.is_finite()
        || scale <= 0.0
    {
        return Err(ExportError::TooLarge(w, h));
    }
    Ok(())
}

/// Rasterises an SVG document to straight RGBA pixels: (width, height, pixels).
pub fn to_rgba(
    svg: &str,
    size: RasterSize,
    transparent: bool,
) -> Result<(u32, u32, Vec<u8>), ExportError> {
    let tree = parse(svg)?;
    let (w, h, scale) = pixel_size(tree.size().width(), tree.size().height(), size);
    check_size(w, h, scale)?;
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(ExportError::TooLarge(w, h))?;
    if !transparent {
        pixmap.fill(tiny_skia::Color::WHITE);
    }
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok((w, h, straight_rgba(pixmap, transparent)))
}

/// Rasterises an SVG document to PNG bytes.
pub fn to_png(svg: &str, size: RasterSize, transparent: bool) -> Result<Vec<u8>, ExportError> {
    let (w, h, rgba) = to_rgba(svg, size, transparent)?;
    encode_png(w, h, &rgba)
}

/// Rasterises a design straight to RGBA. Large images are cut into one horizontal band per
/// core; each band is its own SVG holding only what crosses it, parsed and rendered in
/// parallel, so the pixels are those of the whole SVG.
pub fn design_to_rgba(
    design: &Design,
    options: &ExportOptions,
    size: RasterSize,
) -> Result<(u32, u32, Vec<u8>), ExportError> {
    let prepared = super::svg::prepare(design, options);
    let frame = prepared.frame;
    let (w, h, scale) = pixel_size(frame.width(), frame.height(), size);
    check_size(w, h, scale)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8) as u32;
    let wanted = if (w as u64) * (h as u64) < 1_000_000 {
        1
    } else {
        threads
    };
    let (bands, band_h) = bands_of(h, wanted);
    let transparent = options.transparent;
    let results: Vec<Result<Vec<u8>, ExportError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..bands)
            .map(|b| {
                let prepared = &prepared;
                scope.spawn(move || {
                    let y0 = b * band_h;
                    let bh = band_h.min(h - y0);
                    let view = Rect::from_min_max(
                        Pos::new(frame.min.x, frame.min.y + y0 as f32 / scale),
                        Pos::new(frame.max.x, frame.min.y + (y0 + bh) as f32 / scale),
                    );
                    let view = if bands == 1 { None } else { Some(view) };
                    let tree = parse(&super::svg::write(prepared, options, view))?;
                    // The SVG paints its own background unless it is transparent.
                    let mut pixmap =
                        tiny_skia::Pixmap::new(w, bh).ok_or(ExportError::TooLarge(w, h))?;
                    resvg::render(
                        &tree,
                        tiny_skia::Transform::from_scale(scale, scale),
                        &mut pixmap.as_mut(),
                    );
                    Ok(straight_rgba(pixmap, transparent))
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
    let mut out = Vec::with_capacity((w as usize) * (h as usize) * 4);
    for r in results {
        out.extend(r?);
    }
    Ok((w, h, out))
}

/// Rasterises a design to PNG bytes.
pub fn design_to_png(
    design: &Design,
    options: &ExportOptions,
    size: RasterSize,
) -> Result<Vec<u8>, ExportError> {
    let (w, h, rgba) = design_to_rgba(design, options, size)?;
    encode_png(w, h, &rgba)
}

fn straight_rgba(pixmap: tiny_skia::Pixmap, transparent: bool) -> Vec<u8> {
    if !transparent {
        // Every pixel is opaque: premultiplied and straight RGBA are the same.
        return pixmap.take();
    }
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    rgba
}

fn encode_png(w: u32, h: u32, rgba: &[u8]) -> Result<Vec<u8>, ExportError> {
    let mut png = Vec::with_capacity(rgba.len() / 8);
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        // Diagrams are mostly flat colour: the Up filter compresses them nearly as well as
        // trying every filter per row, at a fraction of the time.
        image::codecs::png::FilterType::Up,
    );
    image::ImageEncoder::write_image(encoder, rgba, w, h, image::ExtendedColorType::Rgba8)
        .map_err(|e| ExportError::Render(e.to_string()))?;
    Ok(png)
}

/// The longest page side PDF readers open: 200 inches, Acrobat's limit.
pub const MAX_PDF_PAGE_POINTS: f32 = 14_400.0;

/// How an image `h` rows high splits into at most `wanted` bands: their count and height.
/// Every band starts inside the image (a wide, low image with 8 cores once made a band
/// start below its bottom and the row arithmetic underflow).
fn bands_of(h: u32, wanted: u32) -> (u32, u32) {
    let h = h.max(1);
    let band_h = h.div_ceil(wanted.clamp(1, h));
    (h.div_ceil(band_h), band_h)
}

/// Converts an SVG to a one-page vector PDF sized to the diagram (1 unit = 1 pt), scaled down
/// to [`MAX_PDF_PAGE_POINTS`] on its longest side when the diagram is larger.
pub fn to_pdf(svg: &str) -> Result<Vec<u8>, ExportError> {
    let tree = parse(svg)?;
    let longest = tree.size().width().max(tree.size().height());
    let dpi = 72.0 * (longest / MAX_PDF_PAGE_POINTS).max(1.0);
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi },
    )
    .map_err(|e| ExportError::Render(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_row_once_and_start_inside_the_image() {
        for h in 1..200u32 {
            for wanted in 1..=8u32 {
                let (bands, band_h) = bands_of(h, wanted);
                assert!(bands >= 1 && bands <= wanted, "{h} rows, {wanted}: {bands}");
                let rows: u32 = (0..bands)
                    .map(|b| {
                        let y0 = b * band_h;
                        assert!(y0 < h, "{h} rows, {wanted} wanted: band {b} starts at {y0}");
                        band_h.min(h - y0)
                    })
                    .sum();
                assert_eq!(rows, h);
            }
        }
    }
}

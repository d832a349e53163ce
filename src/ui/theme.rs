//! Colours and icon textures for the window, from the shared style in `scene::style`.

use egui::{Color32, ImageSource, load::Bytes};

use crate::catalog::icon_svg;

/// An RGB triple as an egui colour.
pub fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// An RGBA quadruple as an egui colour.
pub fn rgba(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// The image source of an embedded icon, loaded by egui_extras' SVG loader at the exact
/// pixel size it is painted at, so glyphs stay sharp at every zoom.
pub fn icon_source(name: &str) -> ImageSource<'static> {
    let bytes = icon_svg(name)
        .or_else(|| icon_svg("unknown"))
        .unwrap_or(&[]);
    ImageSource::Bytes {
        uri: format!("bytes://archsketch/icons/{name}.svg").into(),
        bytes: Bytes::Static(bytes),
    }
}

/// Paints a service tile: a rounded square in the category colour with its white glyph.
pub fn paint_tile(ui: &egui::Ui, rect: egui::Rect, icon: &str, color: Color32, known: bool) {
    let radius =
        (rect.width() * crate::scene::style::TILE_RADIUS / crate::scene::style::TILE).round();
    ui.painter().rect_filled(rect, radius, color);
    if !known {
        ui.painter().rect_stroke(
            rect,
            radius,
            egui::Stroke::new(2.0, Color32::from_rgb(0xDD, 0x34, 0x4C)),
            egui::StrokeKind::Inside,
        );
    }
    // Below ~12 px a glyph is noise: draw the plain tile.
    if rect.width() * ui.pixels_per_point() < 12.0 {
        return;
    }
    // Snap the glyph's pixel size to steps of ~8% so zooming does not rasterise every size.
    let inner = rect.width() * 0.78;
    let ppp = ui.pixels_per_point();
    let px = inner * ppp;
    let step = (px.ln() / 1.08_f32.ln()).round();
    let snapped = 1.08_f32.powf(step) / ppp;
    let glyph = egui::Rect::from_center_size(rect.center(), egui::vec2(snapped, snapped));
    egui::Image::new(icon_source(icon)).paint_at(ui, glyph);
}

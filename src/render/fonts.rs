//! The bundled font for native figures. plotters rasterizes text on bitmaps with
//! `ab_glyph` from fonts registered by family name; [`ensure_registered`] registers DejaVu
//! Sans (regular and bold, `src/render/fonts/`) as "sans-serif" once per process. Every
//! text style of [`super::Theme`] calls it, so no caller can draw text before the font
//! exists. In the browser the canvas's own fonts are used and this is a no-op.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::sync::Once;

    use plotters::style::{register_font, FontStyle};

    static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
    static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");
    static REGISTER: Once = Once::new();

    /// Registers the bundled fonts under plotters' "sans-serif" family (idempotent).
    pub fn ensure_registered() {
        REGISTER.call_once(|| {
            for (style, bytes) in [(FontStyle::Normal, REGULAR), (FontStyle::Bold, BOLD)] {
                if register_font("sans-serif", style, bytes).is_err() {
                    log::error!("the bundled DejaVu Sans font does not parse; text is missing");
                }
            }
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::ensure_registered;

/// The browser draws text with its own fonts: nothing to register.
#[cfg(target_arch = "wasm32")]
pub fn ensure_registered() {}

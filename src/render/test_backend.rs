//! An in-memory RGB backend for tests: pixels are kept in a buffer that tests read back,
//! rectangles exclude their far corner as on a canvas, and text is recorded instead of
//! rasterized (no font is needed natively).

use std::cell::RefCell;
use std::rc::Rc;

use plotters::prelude::DrawingBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// The error type of [`PixelBuffer`], which never fails.
#[derive(Debug)]
pub struct NeverFails;

impl std::fmt::Display for NeverFails {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "the test backend does not fail")
    }
}

impl std::error::Error for NeverFails {}

/// A `width × height` RGB image plus the strings drawn on it.
#[derive(Clone, Debug)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<[u8; 3]>,
    pub texts: Vec<String>,
}

impl Image {
    /// The colour at (x, y).
    pub fn at(&self, x: i32, y: i32) -> [u8; 3] {
        self.pixels[(y as u32 * self.width + x as u32) as usize]
    }
}

/// The backend; the test keeps a second handle on the image to read it after drawing.
pub struct PixelBuffer {
    image: Rc<RefCell<Image>>,
}

impl PixelBuffer {
    /// A black `width × height` buffer and the handle to read it back.
    pub fn new(width: u32, height: u32) -> (PixelBuffer, Rc<RefCell<Image>>) {
        let image = Rc::new(RefCell::new(Image {
            width,
            height,
            pixels: vec![[0, 0, 0]; (width * height) as usize],
            texts: Vec::new(),
        }));
        (
            PixelBuffer {
                image: Rc::clone(&image),
            },
            image,
        )
    }
}

impl DrawingBackend for PixelBuffer {
    type ErrorType = NeverFails;

    fn get_size(&self) -> (u32, u32) {
        let image = self.image.borrow();
        (image.width, image.height)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<NeverFails>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<NeverFails>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<NeverFails>> {
        let mut image = self.image.borrow_mut();
        let (x, y) = point;
        if x < 0 || y < 0 || x >= image.width as i32 || y >= image.height as i32 {
            return Ok(());
        }
        let index = (y as u32 * image.width + x as u32) as usize;
        let alpha = color.alpha.clamp(0.0, 1.0);
        let new = [color.rgb.0, color.rgb.1, color.rgb.2];
        let pixel = &mut image.pixels[index];
        for (old, new) in pixel.iter_mut().zip(new) {
            let mixed = f64::from(*old) * (1.0 - alpha) + f64::from(new) * alpha;
            *old = mixed.round() as u8;
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<NeverFails>> {
        if !fill {
            return plotters_backend::rasterizer::draw_rect(
                self,
                upper_left,
                bottom_right,
                style,
                false,
            );
        }
        for y in upper_left.1..bottom_right.1 {
            for x in upper_left.0..bottom_right.0 {
                self.draw_pixel((x, y), style.color())?;
            }
        }
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        _style: &TStyle,
        _pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<NeverFails>> {
        self.image.borrow_mut().texts.push(text.to_string());
        Ok(())
    }
}

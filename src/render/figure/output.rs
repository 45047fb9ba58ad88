//! Figures as files (native only): PNG through plotters' bitmap backend, with text
//! rasterized from the bundled DejaVu Sans, or SVG whose text is left to the viewer's
//! fonts. Also the `figure` command's argument parsing, so the binary only dispatches.

use std::path::{Path, PathBuf};

use plotters::prelude::{BitMapBackend, IntoDrawingArea, SVGBackend};

use super::run::{FigureRun, View};
use crate::compare::Comparison;
use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::render::pair::{draw_landscape_pair, PairView};
use crate::render::theme::Theme;

/// The file formats a figure can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    /// The format called `name` ("png" or "svg").
    pub fn parse(name: &str) -> Result<Format> {
        match name {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            other => Err(Error::config(
                "--format",
                format!("must be png or svg, got \"{other}\""),
            )),
        }
    }

    /// The format a file name's extension names, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::parse(&extension).ok()
    }

    /// Device pixels per CSS pixel a file gets by default: PNG is drawn at twice the
    /// size so it stays sharp on slides; SVG scales by itself.
    pub fn default_scale(self) -> f64 {
        match self {
            Format::Png => 2.0,
            Format::Svg => 1.0,
        }
    }
}

/// How a figure file is made.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureOptions {
    pub view: View,
    pub format: Format,
    /// Size in CSS pixels; the file has `size × scale` pixels.
    pub size: (u32, u32),
    pub scale: f64,
    pub dark: bool,
}

impl FigureOptions {
    /// The view at its default size in `format`, light theme.
    pub fn new(view: View, format: Format) -> FigureOptions {
        FigureOptions {
            view,
            format,
            size: view.default_size(),
            scale: format.default_scale(),
            dark: false,
        }
    }

    /// The file's size in device pixels.
    pub fn pixel_size(&self) -> (u32, u32) {
        let scaled = |css: u32| (f64::from(css) * self.scale).round().max(1.0) as u32;
        (scaled(self.size.0), scaled(self.size.1))
    }

    fn theme(&self) -> Theme {
        Theme::new(self.scale, self.dark)
    }
}

/// Writes `view` of `run` to `path`.
pub fn write_figure(run: &mut FigureRun, options: &FigureOptions, path: &Path) -> Result<()> {
    let theme = options.theme();
    let size = options.pixel_size();
    match options.format {
        Format::Png => {
            let area = BitMapBackend::new(path, size).into_drawing_area();
            run.draw(&area, options.view, theme)?;
            area.present().map_err(|error| file_error(path, error))
        }
        Format::Svg => {
            let area = SVGBackend::new(path, size).into_drawing_area();
            run.draw(&area, options.view, theme)?;
            area.present().map_err(|error| file_error(path, error))
        }
    }
}

/// Writes the two landscapes of a comparison on one colour scale to `path` (PNG or SVG
/// by extension, PNG otherwise).
pub fn write_comparison_figure(comparison: &Comparison, path: &Path) -> Result<()> {
    let format = Format::from_path(path).unwrap_or(Format::Png);
    let theme = Theme::new(format.default_scale(), false);
    let size = (
        (1300.0 * theme.scale).round() as u32,
        (640.0 * theme.scale).round() as u32,
    );
    let view = PairView::of_comparison(comparison, theme);
    match format {
        Format::Png => {
            let area = BitMapBackend::new(path, size).into_drawing_area();
            draw_landscape_pair(&area, &view)?;
            area.present().map_err(|error| file_error(path, error))
        }
        Format::Svg => {
            let area = SVGBackend::new(path, size).into_drawing_area();
            draw_landscape_pair(&area, &view)?;
            area.present().map_err(|error| file_error(path, error))
        }
    }
}

fn file_error(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

/// The `figure` command: `[--config FILE] --view NAME [--format png|svg] --out FILE
/// [--scale S] [--dark]`. Returns a line describing what was written.
pub fn command(args: &[String]) -> Result<String> {
    let mut config = RunConfig::default();
    let mut view = None;
    let mut format = None;
    let mut out: Option<PathBuf> = None;
    let mut scale = None;
    let mut dark = false;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| Error::config(flag.as_str(), "needs a value"))
        };
        match flag.as_str() {
            "--config" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path).map_err(|error| Error::Io {
                    path: path.clone(),
                    message: error.to_string(),
                })?;
                config = RunConfig::from_json(&text)?;
            }
            "--view" => view = Some(View::parse(&value()?)?),
            "--format" => format = Some(Format::parse(&value()?)?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--scale" => {
                let text = value()?;
                let parsed: f64 = text.parse().map_err(|_| {
                    Error::config("--scale", format!("must be a number, got \"{text}\""))
                })?;
                if !(0.25..=8.0).contains(&parsed) {
                    return Err(Error::config(
                        "--scale",
                        format!("must be between 0.25 and 8, got {parsed}"),
                    ));
                }
                scale = Some(parsed);
            }
            "--dark" => dark = true,
            other => {
                return Err(Error::config(
                    "figure",
                    format!("does not know the option \"{other}\""),
                ))
            }
        }
    }
    let view = view.ok_or_else(|| {
        Error::config(
            "--view",
            "is required: landscape, surface3d, curves, slice or prediction",
        )
    })?;
    let out = out.ok_or_else(|| Error::config("--out", "is required: the figure's file"))?;
    let format = format
        .or_else(|| Format::from_path(&out))
        .unwrap_or(Format::Png);
    let mut options = FigureOptions::new(view, format);
    options.scale = scale.unwrap_or(options.scale);
    options.dark = dark;

    let mut run = FigureRun::train(&config)?;
    write_figure(&mut run, &options, &out)?;
    let (width, height) = options.pixel_size();
    Ok(format!(
        "{} figure, {width}×{height} px, written to {}",
        view.name(),
        out.display()
    ))
}

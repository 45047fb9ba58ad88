//! Golden figures: the reference run's figures rendered by the CLI's own code, checked
//! for their size and for colours at places the data fixes. The same files, made with
//! `landscape-lab figure`, are the README's figures under docs/.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use landscape_lab::render::figure::output::{write_figure, FigureOptions, Format};
use landscape_lab::render::figure::{FigureRun, View};
use landscape_lab::render::landscape::LandscapeLayout;
use landscape_lab::render::levels::{Levels, ScaleChoice};
use landscape_lab::render::Theme;
use landscape_lab::RunConfig;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("landscape-lab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_png(path: &Path) -> image::RgbImage {
    image::open(path).unwrap().to_rgb8()
}

fn rgb(pixel: &image::Rgb<u8>) -> [u8; 3] {
    pixel.0
}

/// The reference run's map, curves and 3-D surface at twice the CSS size, as the CLI
/// writes them by default.
#[test]
fn reference_figures_have_their_size_and_colours() {
    let dir = temp_dir("figures");
    let mut run = FigureRun::train(&RunConfig::default()).unwrap();
    let options = |view| FigureOptions::new(view, Format::Png);

    // The map: 860 × 760 CSS px at scale 2.
    let landscape = options(View::Landscape);
    let path = dir.join("landscape.png");
    write_figure(&mut run, &landscape, &path).unwrap();
    let image = read_png(&path);
    assert_eq!(
        image.dimensions(),
        (1720, 1520),
        "860 × 760 CSS px at scale 2"
    );

    let surface = run.surface_job().unwrap().surface().clone();
    let levels = Levels::pick(&surface.loss, ScaleChoice::Auto).unwrap();
    let layout = LandscapeLayout::new(1720, 1520, &Theme::new(2.0, false)).unwrap();
    let bar = layout.bar;
    let bar_x = (bar.left + bar.width / 2) as u32;
    let lowest = levels.band_color(0);
    let highest = levels.band_color(levels.band_count() - 1);
    assert_eq!(
        rgb(image.get_pixel(bar_x, (bar.bottom() - 3) as u32)),
        [lowest.0, lowest.1, lowest.2],
        "the colour bar starts with the lowest band's viridis colour"
    );
    assert_eq!(
        rgb(image.get_pixel(bar_x, (bar.top + 3) as u32)),
        [highest.0, highest.1, highest.2],
        "and ends with the highest band's"
    );
    // Grid point (i, j) = (5, 45) of the 51 × 51 grid lies a tenth of the way in from
    // the left and the top; its pixel has the band colour of its loss.
    let plot = layout.plot;
    let (column, row) = (5usize, 45usize);
    let x = plot.left as f64 + (column as f64 / 50.0) * plot.width as f64;
    let y = plot.top as f64 + ((50 - row) as f64 / 50.0) * plot.height as f64;
    let value = surface.loss[row * 51 + column];
    let expected = levels.band_color(levels.band_of(value).unwrap());
    let found = rgb(image.get_pixel(x.round() as u32, y.round() as u32));
    let close = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs() <= 2;
    let neighbours = [-1i32, 0, 1]
        .iter()
        .flat_map(|dx| [-1i32, 0, 1].map(|dy| (*dx, dy)));
    let matched = neighbours.into_iter().any(|(dx, dy)| {
        let pixel = image.get_pixel(
            (x.round() as i32 + dx) as u32,
            (y.round() as i32 + dy) as u32,
        );
        let [r, g, b] = rgb(pixel);
        close(r, expected.0) && close(g, expected.1) && close(b, expected.2)
    });
    assert!(
        matched,
        "loss {value} at grid point (5, 45) is band {:?}, colour {expected:?}; found {found:?}",
        levels.band_of(value)
    );

    // The curves: the loss, learning-rate and gradient-norm charts stacked.
    let path = dir.join("curves.png");
    write_figure(&mut run, &options(View::Curves), &path).unwrap();
    let image = read_png(&path);
    assert_eq!(image.dimensions(), (1800, 2000));
    let blue = image.pixels().filter(|p| p.0 == [0x00, 0x72, 0xb2]).count();
    let orange = image.pixels().filter(|p| p.0 == [0xe6, 0x9f, 0x00]).count();
    assert!(blue > 5000, "three blue series are drawn ({blue} pixels)");
    assert!(
        orange > 1000,
        "the evaluated train loss is drawn ({orange} pixels)"
    );

    // The 3-D surface: viridis from the floor to the rim.
    let path = dir.join("surface3d.png");
    write_figure(&mut run, &options(View::Surface3d), &path).unwrap();
    let image = read_png(&path);
    assert_eq!(image.dimensions(), (1720, 1520));
    let purple = image
        .pixels()
        .filter(|p| p.0[2] > p.0[1] && p.0[0] > p.0[1] && p.0[0] < 0x60 && p.0[2] > 0x50)
        .count();
    assert!(
        purple > 2000,
        "the valley floor is viridis purple ({purple} pixels)"
    );
}

/// The binary writes an SVG whose title names the plane, and refuses an unknown view.
#[test]
fn the_cli_writes_svg_and_names_bad_views() {
    let dir = temp_dir("figure-cli");
    let out = dir.join("slice.svg");
    let status = Command::new(env!("CARGO_BIN_EXE_landscape-lab"))
        .args(["figure", "--view", "landscape", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg"), "an SVG document");
    assert!(
        svg.contains("random plane, filter-normalized"),
        "the title names the plane"
    );

    let output = Command::new(env!("CARGO_BIN_EXE_landscape-lab"))
        .args(["figure", "--view", "histogram", "--out"])
        .arg(dir.join("x.png"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("histogram"),
        "the bad value is named: {message}"
    );
}

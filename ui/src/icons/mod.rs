//! Vector icons drawn with the painter: crisp at any scale, no icon font.
//!
//! egui's default fonts have no arrow or symbol glyphs, so every toolbar and panel icon is
//! a few strokes on a 24x24 design grid mapped onto the target rectangle.
//! [`IconButton`] wraps an icon in an accessible, keyboard-reachable button.

mod button;

pub use button::{IconButton, spinner};

use egui::{
    Color32, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Ui, Vec2, epaint::PathShape, pos2,
    vec2,
};
use std::f32::consts::TAU;

/// Every icon Nexus draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Icon {
    /// History back.
    Back,
    /// History forward.
    Forward,
    /// Reload.
    Reload,
    /// Stop loading.
    Stop,
    /// Home page.
    Home,
    /// Bookmark (outline).
    Star,
    /// Bookmarked (filled).
    StarFilled,
    /// Close.
    Close,
    /// The app menu (three dots).
    Menu,
    /// A side panel.
    Sidebar,
    /// AI features (a sparkle).
    Sparkle,
    /// A secure connection.
    Lock,
    /// A warning ("Not secure").
    Warning,
    /// Information.
    Info,
    /// Downloads.
    Download,
    /// Search.
    Search,
    /// Add.
    Plus,
    /// Remove / zoom out.
    Minus,
    /// A web page without a favicon.
    Globe,
    /// History.
    Clock,
    /// A bookmark folder.
    Folder,
    /// A local file.
    File,
    /// Nexus's own pages.
    Nexus,
    /// Expand / next match.
    ChevronDown,
    /// Collapse / previous match.
    ChevronUp,
    /// Submenu / collapsed tree node.
    ChevronRight,
    /// Copy to clipboard.
    Copy,
    /// Delete.
    Trash,
    /// Done.
    Check,
    /// Edit.
    Pencil,
    /// A crashed page.
    Crash,
    /// Send a question.
    Send,
}

/// The stroke width of icons drawn in `rect`.
fn stroke_width(rect: Rect) -> f32 {
    (rect.height() / 24.0 * 1.9).max(1.0)
}

/// Draw `icon` filling `rect` (square works best) in `color`.
pub fn paint(painter: &Painter, rect: Rect, icon: Icon, color: Color32) {
    let g = Grid { rect };
    let stroke = Stroke::new(stroke_width(rect), color);
    let line = |pts: &[(f32, f32)]| {
        painter.add(Shape::line(
            pts.iter().map(|&(x, y)| g.p(x, y)).collect(),
            stroke,
        ));
    };
    let closed = |pts: &[(f32, f32)]| {
        let points = pts.iter().map(|&(x, y)| g.p(x, y)).collect();
        painter.add(Shape::closed_line(points, stroke));
    };
    match icon {
        Icon::Back => {
            line(&[(19.0, 12.0), (5.5, 12.0)]);
            line(&[(11.0, 6.0), (5.0, 12.0), (11.0, 18.0)]);
        }
        Icon::Forward => {
            line(&[(5.0, 12.0), (18.5, 12.0)]);
            line(&[(13.0, 6.0), (19.0, 12.0), (13.0, 18.0)]);
        }
        Icon::Reload => {
            // A clockwise arc with a gap at the upper right; the head at its end points
            // into the gap.
            let (from, to) = (-0.04 * TAU, 0.71 * TAU);
            painter.add(Shape::line(g.arc((12.0, 12.0), 7.0, from, to), stroke));
            let end = (12.0 + 7.0 * to.cos(), 12.0 + 7.0 * to.sin());
            let (tx, ty) = (-to.sin(), to.cos());
            let (nx, ny) = (to.cos(), to.sin());
            let head = vec![
                g.p(end.0 + tx * 4.0, end.1 + ty * 4.0),
                g.p(end.0 + nx * 3.2 - tx * 0.6, end.1 + ny * 3.2 - ty * 0.6),
                g.p(end.0 - nx * 3.2 - tx * 0.6, end.1 - ny * 3.2 - ty * 0.6),
            ];
            painter.add(Shape::convex_polygon(head, color, Stroke::NONE));
        }
        Icon::Stop | Icon::Close => {
            let (a, b) = if icon == Icon::Stop {
                (6.0, 18.0)
            } else {
                (7.0, 17.0)
            };
            line(&[(a, a), (b, b)]);
            line(&[(b, a), (a, b)]);
        }
        Icon::Home => {
            line(&[(3.5, 11.5), (12.0, 4.0), (20.5, 11.5)]);
            line(&[(6.0, 9.5), (6.0, 20.0), (18.0, 20.0), (18.0, 9.5)]);
            line(&[(10.0, 20.0), (10.0, 14.5), (14.0, 14.5), (14.0, 20.0)]);
        }
        Icon::Star | Icon::StarFilled => {
            let (outer, inner) = star_points(&g);
            if icon == Icon::StarFilled {
                painter.add(Shape::convex_polygon(inner.to_vec(), color, Stroke::NONE));
                for i in 0..5 {
                    let tri = vec![outer[i], inner[(i + 4) % 5], inner[i]];
                    painter.add(Shape::convex_polygon(tri, color, Stroke::NONE));
                }
            }
            let mut outline = Vec::with_capacity(10);
            for i in 0..5 {
                outline.push(outer[i]);
                outline.push(inner[i]);
            }
            painter.add(Shape::closed_line(outline, stroke));
        }
        Icon::Menu => {
            for y in [6.0, 12.0, 18.0] {
                painter.circle_filled(g.p(12.0, y), g.s(1.7), color);
            }
        }
        Icon::Sidebar => {
            let r = Rect::from_min_max(g.p(3.5, 5.0), g.p(20.5, 19.0));
            painter.rect_stroke(r, g.s(2.5), stroke, StrokeKind::Middle);
            line(&[(14.5, 5.0), (14.5, 19.0)]);
        }
        Icon::Sparkle => {
            sparkle(painter, &g, (10.5, 13.0), 8.0, color);
            sparkle(painter, &g, (18.5, 5.5), 3.5, color);
        }
        Icon::Lock => {
            let body = Rect::from_min_max(g.p(5.5, 10.5), g.p(18.5, 20.5));
            painter.rect_filled(body, g.s(2.0), color);
            let mut shackle = vec![g.p(8.5, 10.5)];
            shackle.extend(g.arc((12.0, 8.0), 3.5, 0.5 * TAU, TAU));
            shackle.push(g.p(15.5, 10.5));
            painter.add(Shape::line(shackle, stroke));
        }
        Icon::Warning => {
            let tri = vec![g.p(12.0, 3.5), g.p(21.0, 19.5), g.p(3.0, 19.5)];
            painter.add(Shape::closed_line(tri, stroke));
            line(&[(12.0, 9.0), (12.0, 13.5)]);
            painter.circle_filled(g.p(12.0, 16.5), g.s(1.2), color);
        }
        Icon::Info => {
            painter.circle_stroke(g.p(12.0, 12.0), g.s(8.5), stroke);
            line(&[(12.0, 11.0), (12.0, 16.5)]);
            painter.circle_filled(g.p(12.0, 7.8), g.s(1.2), color);
        }
        Icon::Download => {
            line(&[(12.0, 4.0), (12.0, 15.0)]);
            line(&[(7.0, 10.0), (12.0, 15.0), (17.0, 10.0)]);
            line(&[(5.0, 19.5), (19.0, 19.5)]);
        }
        Icon::Search => {
            painter.circle_stroke(g.p(10.5, 10.5), g.s(6.0), stroke);
            line(&[(15.0, 15.0), (20.0, 20.0)]);
        }
        Icon::Plus => {
            line(&[(12.0, 5.0), (12.0, 19.0)]);
            line(&[(5.0, 12.0), (19.0, 12.0)]);
        }
        Icon::Minus => line(&[(5.0, 12.0), (19.0, 12.0)]),
        Icon::Globe => {
            painter.circle_stroke(g.p(12.0, 12.0), g.s(8.5), stroke);
            let meridian = g.ellipse((12.0, 12.0), 3.8, 8.5);
            painter.add(Shape::closed_line(meridian, stroke));
            line(&[(3.5, 12.0), (20.5, 12.0)]);
        }
        Icon::Clock => {
            painter.circle_stroke(g.p(12.0, 12.0), g.s(8.5), stroke);
            line(&[(12.0, 7.0), (12.0, 12.0), (15.5, 14.0)]);
        }
        Icon::Folder => closed(&[
            (3.0, 6.0),
            (9.5, 6.0),
            (11.5, 8.5),
            (21.0, 8.5),
            (21.0, 19.0),
            (3.0, 19.0),
        ]),
        Icon::File => {
            closed(&[
                (6.0, 3.5),
                (14.0, 3.5),
                (18.5, 8.0),
                (18.5, 20.5),
                (6.0, 20.5),
            ]);
            line(&[(14.0, 3.5), (14.0, 8.0), (18.5, 8.0)]);
        }
        Icon::Nexus => {
            let hex: Vec<Pos2> = (0..6)
                .map(|i| g.polar((12.0, 12.0), 8.5, (i as f32 + 0.5) * TAU / 6.0))
                .collect();
            painter.add(Shape::closed_line(hex, stroke));
            line(&[(9.0, 15.5), (9.0, 8.5), (15.0, 15.5), (15.0, 8.5)]);
        }
        Icon::ChevronDown => line(&[(6.0, 9.0), (12.0, 15.0), (18.0, 9.0)]),
        Icon::ChevronUp => line(&[(6.0, 15.0), (12.0, 9.0), (18.0, 15.0)]),
        Icon::ChevronRight => line(&[(9.0, 6.0), (15.0, 12.0), (9.0, 18.0)]),
        Icon::Copy => {
            line(&[
                (9.0, 15.0),
                (4.0, 15.0),
                (4.0, 4.0),
                (15.0, 4.0),
                (15.0, 9.0),
            ]);
            let front = Rect::from_min_max(g.p(9.0, 9.0), g.p(20.0, 20.0));
            painter.rect_stroke(front, g.s(2.0), stroke, StrokeKind::Middle);
        }
        Icon::Trash => {
            line(&[(4.0, 6.5), (20.0, 6.5)]);
            line(&[(9.5, 6.5), (9.5, 4.0), (14.5, 4.0), (14.5, 6.5)]);
            closed(&[(6.0, 6.5), (18.0, 6.5), (17.0, 20.0), (7.0, 20.0)]);
            line(&[(10.0, 10.0), (10.0, 16.5)]);
            line(&[(14.0, 10.0), (14.0, 16.5)]);
        }
        Icon::Check => line(&[(5.0, 12.5), (10.0, 17.5), (19.0, 7.0)]),
        Icon::Pencil => {
            closed(&[
                (15.5, 4.5),
                (19.5, 8.5),
                (8.5, 19.5),
                (4.5, 19.5),
                (4.5, 15.5),
            ]);
            line(&[(13.0, 7.0), (17.0, 11.0)]);
        }
        Icon::Crash => {
            closed(&[
                (5.0, 2.5),
                (15.0, 2.5),
                (20.0, 7.5),
                (20.0, 21.5),
                (5.0, 21.5),
            ]);
            line(&[(8.0, 9.0), (10.5, 11.5)]);
            line(&[(10.5, 9.0), (8.0, 11.5)]);
            line(&[(14.0, 9.0), (16.5, 11.5)]);
            line(&[(16.5, 9.0), (14.0, 11.5)]);
            let frown = g.arc((12.5, 19.5), 3.5, 0.6 * TAU, 0.9 * TAU);
            painter.add(Shape::line(frown, stroke));
        }
        Icon::Send => {
            line(&[(12.0, 19.0), (12.0, 5.5)]);
            line(&[(6.5, 11.0), (12.0, 5.5), (17.5, 11.0)]);
        }
    }
}

/// A four-pointed sparkle centred at `c` with radius `r` (grid units).
fn sparkle(painter: &Painter, g: &Grid, c: (f32, f32), r: f32, color: Color32) {
    let waist = r * 0.28;
    let center = g.p(c.0, c.1);
    for i in 0..4 {
        let a = i as f32 * TAU / 4.0;
        let tip = g.polar(c, r, a);
        let left = g.polar(c, waist, a - TAU / 8.0);
        let right = g.polar(c, waist, a + TAU / 8.0);
        painter.add(Shape::convex_polygon(
            vec![center, left, tip, right],
            color,
            Stroke::NONE,
        ));
    }
}

/// The outer and inner points of a five-pointed star.
fn star_points(g: &Grid) -> ([Pos2; 5], [Pos2; 5]) {
    let c = (12.0, 12.8);
    let mut outer = [Pos2::ZERO; 5];
    let mut inner = [Pos2::ZERO; 5];
    for i in 0..5 {
        let a = -TAU / 4.0 + i as f32 * TAU / 5.0;
        outer[i] = g.polar(c, 9.5, a);
        inner[i] = g.polar(c, 4.1, a + TAU / 10.0);
    }
    (outer, inner)
}

/// A 24x24 design grid over a rectangle.
struct Grid {
    rect: Rect,
}

impl Grid {
    fn scale(&self) -> f32 {
        self.rect.width().min(self.rect.height()) / 24.0
    }
    fn origin(&self) -> Pos2 {
        self.rect.center() - Vec2::splat(12.0 * self.scale())
    }
    fn p(&self, x: f32, y: f32) -> Pos2 {
        self.origin() + vec2(x, y) * self.scale()
    }
    fn s(&self, len: f32) -> f32 {
        len * self.scale()
    }
    fn polar(&self, c: (f32, f32), r: f32, angle: f32) -> Pos2 {
        self.p(c.0 + r * angle.cos(), c.1 + r * angle.sin())
    }
    fn arc(&self, c: (f32, f32), r: f32, from: f32, to: f32) -> Vec<Pos2> {
        let steps = 24;
        (0..=steps)
            .map(|i| self.polar(c, r, from + (to - from) * i as f32 / steps as f32))
            .collect()
    }
    fn ellipse(&self, c: (f32, f32), rx: f32, ry: f32) -> Vec<Pos2> {
        (0..32)
            .map(|i| {
                let a = i as f32 * TAU / 32.0;
                self.p(c.0 + rx * a.cos(), c.1 + ry * a.sin())
            })
            .collect()
    }
}

/// A busy spinner: a rotating arc, driven by egui's clock. Requests a repaint.
pub fn paint_spinner(ui: &Ui, rect: Rect, color: Color32) {
    let time = ui.input(|i| i.time) as f32;
    let g = Grid { rect };
    let start = time * 1.1 * TAU;
    let sweep = 0.25 * TAU + 0.15 * TAU * (time * 2.0).sin();
    let pts = g.arc((12.0, 12.0), 8.0, start, start + sweep + 0.3 * TAU);
    ui.painter().add(Shape::Path(PathShape::line(
        pts,
        Stroke::new(stroke_width(rect) * 1.1, color),
    )));
    ui.ctx().request_repaint();
}

/// Center of a rect snapped to pixels (icons look sharper on pixel centres).
pub fn snapped_square(center: Pos2, side: f32) -> Rect {
    Rect::from_center_size(pos2(center.x.round(), center.y.round()), Vec2::splat(side))
}

//! The usage chart of a customer statement as plain geometry: one bar per
//! month, stacked within-quota, approved and unapproved overage, the quota
//! as a mark, a scale with round hour steps. Pure arithmetic on whole
//! minutes and whole SVG pixels; the template only draws what is here.

use crate::compute::ContractMonth;
use crate::model::Month;

/// One month of the chart: its quota and how its used time splits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartMonth {
    pub month: Month,
    /// `None` in a month where the contract is not active (no quota, no fee).
    pub quota: Option<u64>,
    pub used: u64,
    pub approved_overage: u64,
    /// Overage not approved (written off or not), never invoiced.
    pub unapproved_overage: u64,
}

impl ChartMonth {
    /// The bar of a month from its figures (as `report` computes them).
    pub fn of(month: Month, f: &ContractMonth) -> ChartMonth {
        ChartMonth {
            month,
            quota: Some(f.quota_minutes),
            used: f.used_minutes,
            approved_overage: f.approved_overage_minutes,
            unapproved_overage: f.unapproved_overage_minutes,
        }
    }

    /// A month in which the contract is not active.
    pub fn inactive(month: Month) -> ChartMonth {
        ChartMonth { month, quota: None, used: 0, approved_overage: 0, unapproved_overage: 0 }
    }
}

/// Size of the drawing in CSS pixels (it fits A4's printable width of
/// 180 mm ≈ 680 px, and is drawn at this size: one unit is one pixel).
pub const WIDTH: u32 = 660;
pub const HEIGHT: u32 = 250;
/// Room around the plot: hour labels left, value labels above, months below.
const LEFT: u32 = 46;
const RIGHT: u32 = 6;
const TOP: u32 = 20;
const BOTTOM: u32 = 40;
/// Never fewer slots than this: three months do not get giant bars.
const MIN_SLOTS: u32 = 6;

/// What part of the used time a segment shows; stacked in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    WithinQuota,
    ApprovedOverage,
    UnapprovedOverage,
}

/// A stacked piece of a bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub part: Part,
    pub minutes: u64,
    /// Top edge (SVG y grows downwards) and height, in pixels.
    pub y: u32,
    pub height: u32,
}

/// The quota of a month as a horizontal mark across its slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaMark {
    pub minutes: u64,
    pub y: u32,
    pub x1: u32,
    pub x2: u32,
}

/// One month's bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub month: Month,
    pub used: u64,
    /// Left edge and width of the bar; `center` of its slot (for labels).
    pub x: u32,
    pub width: u32,
    pub center: u32,
    /// Top of the whole bar (the plot's bottom when nothing was used).
    pub top: u32,
    /// Height of the whole bar: `used` on the scale, rounded to a pixel.
    pub height: u32,
    /// Only parts with time in them, bottom to top.
    pub segments: Vec<Segment>,
    pub quota: Option<QuotaMark>,
}

/// A line of the scale, labelled with its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tick {
    pub minutes: u64,
    pub y: u32,
}

/// The whole drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    /// The plot area: `left..right` × `top..bottom`; the time axis starts at `bottom`.
    pub left: u32,
    pub right: u32,
    pub top: u32,
    pub bottom: u32,
    /// The time at the top of the scale (a whole number of steps).
    pub scale_minutes: u64,
    pub ticks: Vec<Tick>,
    /// Oldest month first.
    pub bars: Vec<Bar>,
}

/// Hour steps of the scale: the smallest that needs at most five of them.
const STEPS_HOURS: &[u64] = &[1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];

/// Lays out `months` (oldest first).
pub fn chart(months: &[ChartMonth]) -> Chart {
    let (left, right, top, bottom) = (LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM);
    let peak = months.iter().map(|m| m.used.max(m.quota.unwrap_or(0))).max().unwrap_or(0).max(1);
    let step = STEPS_HOURS
        .iter()
        .map(|h| h * 60)
        .find(|s| peak.div_ceil(*s) <= 5)
        .unwrap_or_else(|| peak.div_ceil(5).div_ceil(60) * 60);
    let scale = peak.div_ceil(step) * step;
    let plot_height = u64::from(bottom - top);
    // Pixels above the axis for `minutes`, rounded to the nearest pixel.
    let px = |minutes: u64| -> u32 {
        let p = (minutes.min(scale) * plot_height * 2 + scale) / (2 * scale);
        u32::try_from(p).expect("at most the plot's height")
    };
    let ticks = (0..=scale / step).map(|i| Tick { minutes: i * step, y: bottom - px(i * step) }).collect();

    let n = u32::try_from(months.len()).unwrap_or(u32::MAX).max(1);
    let slot = (right - left) / n.max(MIN_SLOTS);
    let start = left + (right - left - slot * n) / 2;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let slot_x = start + slot * u32::try_from(i).unwrap_or(0);
            let width = slot * 3 / 5;
            let within = m.used - m.approved_overage - m.unapproved_overage;
            let mut segments = Vec::new();
            let mut below = 0;
            for (part, minutes) in [
                (Part::WithinQuota, within),
                (Part::ApprovedOverage, m.approved_overage),
                (Part::UnapprovedOverage, m.unapproved_overage),
            ] {
                // Edges are placed by the running total, so that the pieces
                // add up to exactly the bar's rounded height.
                let (low, high) = (px(below), px(below + minutes));
                below += minutes;
                if minutes > 0 {
                    segments.push(Segment { part, minutes, y: bottom - high, height: high - low });
                }
            }
            let quota = m.quota.map(|q| QuotaMark {
                minutes: q,
                y: bottom - px(q),
                x1: slot_x + slot / 10,
                x2: slot_x + slot - slot / 10,
            });
            Bar {
                month: m.month,
                used: m.used,
                x: slot_x + (slot - width) / 2,
                width,
                center: slot_x + slot / 2,
                top: bottom - px(m.used),
                height: px(m.used),
                segments,
                quota,
            }
        })
        .collect();
    Chart { width: WIDTH, height: HEIGHT, left, right, top, bottom, scale_minutes: scale, ticks, bars }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn month(i: u32) -> Month {
        Month::new(2026, i).unwrap()
    }
    fn m(i: u32, quota: u64, used: u64, approved: u64) -> ChartMonth {
        let overage = used.saturating_sub(quota);
        let approved_overage = overage.min(approved);
        ChartMonth {
            month: month(i),
            quota: Some(quota),
            used,
            approved_overage,
            unapproved_overage: overage - approved_overage,
        }
    }

    #[test]
    fn scale_has_round_steps_above_every_bar_and_quota() {
        let c = chart(&[m(1, 1200, 1410, 120), m(2, 1200, 300, 0)]);
        // Peak 23:30 → steps of 5 h up to 25 h.
        assert_eq!(c.scale_minutes, 25 * 60);
        assert_eq!(c.ticks.iter().map(|t| t.minutes / 60).collect::<Vec<_>>(), [0, 5, 10, 15, 20, 25]);
        assert_eq!(c.ticks[0].y, c.bottom);
        assert_eq!(c.ticks.last().unwrap().y, c.top);
    }

    #[test]
    fn a_bar_stacks_within_quota_then_approved_then_unapproved() {
        let c = chart(&[m(11, 1200, 1410, 120)]);
        let b = &c.bars[0];
        let parts: Vec<(Part, u64)> = b.segments.iter().map(|s| (s.part, s.minutes)).collect();
        assert_eq!(parts, [(Part::WithinQuota, 1200), (Part::ApprovedOverage, 120), (Part::UnapprovedOverage, 90)]);
        // Bottom to top, touching, filling the bar.
        assert_eq!(b.segments[0].y + b.segments[0].height, c.bottom);
        for w in b.segments.windows(2) {
            assert_eq!(w[1].y + w[1].height, w[0].y);
        }
        assert_eq!(b.segments[2].y, b.top);
        assert_eq!(b.segments.iter().map(|s| s.height).sum::<u32>(), b.height);
        let q = b.quota.unwrap();
        assert_eq!(q.y, b.segments[0].y, "the quota mark sits where the quota ends");
        assert!(q.x1 < b.x && b.x + b.width < q.x2);
    }

    #[test]
    fn nothing_used_is_a_bar_of_no_height_with_its_quota() {
        let c = chart(&[m(3, 960, 0, 0)]);
        let b = &c.bars[0];
        assert_eq!((b.height, b.top, b.segments.len()), (0, c.bottom, 0));
        // 16 h on a scale of 20 h: four fifths of the plot's height.
        assert_eq!(c.scale_minutes, 20 * 60);
        assert_eq!(c.bottom - b.quota.unwrap().y, (c.bottom - c.top) * 4 / 5);
        let empty = chart(&[]);
        assert!(empty.bars.is_empty());
        assert!(empty.scale_minutes > 0);
    }

    #[test]
    fn bars_are_oldest_first_left_to_right_within_the_plot() {
        let months: Vec<ChartMonth> = (1..=12).map(|i| m(i, 1200, 100 * u64::from(i), 0)).collect();
        let c = chart(&months);
        assert!(c.bars.windows(2).all(|w| w[0].x + w[0].width < w[1].x && w[0].month < w[1].month));
        assert!(c.bars[0].x >= c.left && c.bars[11].x + c.bars[11].width <= c.right);
    }

    proptest! {
        /// Heights are in proportion to used time: within half a pixel of
        /// the exact height on the scale, and the scale covers every value.
        #[test]
        fn heights_follow_used_time(
            data in proptest::collection::vec((0u64..6000, 0u64..4000, 0u64..3000), 1..=12),
        ) {
            let months: Vec<ChartMonth> =
                data.iter().enumerate().map(|(i, &(q, u, a))| m(i as u32 % 12 + 1, q, u, a)).collect();
            let c = chart(&months);
            let plot = u64::from(c.bottom - c.top);
            for (b, mo) in c.bars.iter().zip(&months) {
                prop_assert!(mo.used <= c.scale_minutes && mo.quota.unwrap() <= c.scale_minutes);
                // |height − used × plot / scale| ≤ 1/2, in integers.
                let exact2 = 2 * u128::from(mo.used) * u128::from(plot);
                let got2 = 2 * u128::from(b.height) * u128::from(c.scale_minutes);
                prop_assert!(exact2.abs_diff(got2) <= u128::from(c.scale_minutes));
                prop_assert_eq!(b.segments.iter().map(|s| s.height).sum::<u32>(), b.height);
                prop_assert_eq!(b.segments.iter().map(|s| s.minutes).sum::<u64>(), mo.used);
                prop_assert!(b.top >= c.top);
            }
            prop_assert!(c.ticks.len() <= 6);
        }
    }
}

// Package chart draws the weekly digest's chart: four small panels of the
// last weeks of a channel (decisions per week, median open-blocker age,
// check-in participation, pulse means) in one PNG, sized and lettered to
// stay readable when Slack shows it shrunk in the channel; and, for a
// channel whose hooks brought delivery events, a row of two more
// (deploys per week, and lead time for changes with time to restore).
//
// It imports rituals and gonum's plot; never slack-go or storage.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"time"

	ximgfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/alignbot/alignbot/rituals"
)

// The PNG's size in pixels. Slack shows an image in the channel at a few
// hundred pixels wide and opens it full size on a click; the letters are
// large enough for the first.
const (
	Width  = 1200
	Height = 800
	// DeliveryHeight is the PNG's height with the delivery row.
	DeliveryHeight = 1200
	dpi            = 96
)

var (
	barColor    = color.RGBA{R: 0x36, G: 0x7c, B: 0xc4, A: 0xff}
	lineColor   = color.RGBA{R: 0xd9, G: 0x5f, B: 0x02, A: 0xff}
	secondColor = color.RGBA{R: 0x1b, G: 0x9e, B: 0x77, A: 0xff}
)

// Weekly returns the PNG of weeks, oldest first, labelled by the day each
// week ends in loc. A week with nothing to show for a panel leaves a gap
// in its line.
func Weekly(weeks []rituals.DigestWeek, loc *time.Location) ([]byte, error) {
	if len(weeks) == 0 {
		return nil, fmt.Errorf("chart: no weeks to draw")
	}
	labels := make([]string, len(weeks))
	for i, w := range weeks {
		labels[i] = w.To.In(loc).Format("2\nJan")
	}
	values := func(f func(w rituals.DigestWeek) (float64, bool)) ([]float64, []bool) {
		v, ok := make([]float64, len(weeks)), make([]bool, len(weeks))
		for i, w := range weeks {
			v[i], ok[i] = f(w)
		}
		return v, ok
	}

	decisions, _ := values(func(w rituals.DigestWeek) (float64, bool) { return float64(w.Decisions), true })
	ages, hasAge := values(func(w rituals.DigestWeek) (float64, bool) { return w.BlockerAge.Hours() / 24, w.HasBlocker })
	shares, hasShare := values(func(w rituals.DigestWeek) (float64, bool) { return 100 * w.Participation, w.HasCheckin })
	means, hasMean := values(func(w rituals.DigestWeek) (float64, bool) { return w.PulseMean, w.HasPulse })

	p1, err := barPanel("Decisions per week", "decisions", labels, decisions)
	if err != nil {
		return nil, err
	}
	p2, err := linePanel("Median open-blocker age", "days", labels, ages, hasAge, 0, 0)
	if err != nil {
		return nil, err
	}
	p3, err := linePanel("Check-in participation", "% answered", labels, shares, hasShare, 0, 100)
	if err != nil {
		return nil, err
	}
	p4, err := linePanel("Pulse means", "mean (1-5)", labels, means, hasMean, 1, 5)
	if err != nil {
		return nil, err
	}

	plots := [][]*plot.Plot{{p1, p2}, {p3, p4}}
	height := Height
	if HasDelivery(weeks) {
		deploys, _ := values(func(w rituals.DigestWeek) (float64, bool) { return float64(w.Delivery.Deploys), true })
		leads, hasLead := values(func(w rituals.DigestWeek) (float64, bool) { return w.Delivery.LeadTime.Hours(), w.Delivery.HasLeadTime })
		restores, hasRestore := values(func(w rituals.DigestWeek) (float64, bool) {
			return w.Delivery.TimeToRestore.Hours(), w.Delivery.HasTimeToRestore
		})
		p5, err := barPanel("Deploys per week", "deploys", labels, deploys)
		if err != nil {
			return nil, err
		}
		p6, err := linePanel("Lead time and time to restore", "hours (median)", labels, leads, hasLead, 0, 0)
		if err != nil {
			return nil, err
		}
		if err := addLine(p6, restores, hasRestore, secondColor); err != nil {
			return nil, err
		}
		p6.Legend.Add("lead time for changes", lineStyle(lineColor))
		p6.Legend.Add("time to restore", lineStyle(secondColor))
		p6.Legend.Top, p6.Legend.Left, p6.Legend.TextStyle.Font.Size = true, true, vg.Points(13)
		p6.Legend.XOffs = vg.Points(8)
		p6.Y.Max *= 1.4 // room for the legend above the lines
		plots = append(plots, []*plot.Plot{p5, p6})
		height = DeliveryHeight
	}

	img := vgimg.NewWith(vgimg.UseWH(px(Width), px(height)), vgimg.UseDPI(dpi))
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	tiles := draw.Tiles{Rows: len(plots), Cols: 2, PadTop: vg.Points(12), PadBottom: vg.Points(12),
		PadLeft: vg.Points(12), PadRight: vg.Points(18), PadX: vg.Points(36), PadY: vg.Points(30)}
	canvases := plot.Align(plots, tiles, dc)
	for r := range plots {
		for c := range plots[r] {
			plots[r][c].Draw(canvases[r][c])
		}
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// px is a length of n pixels at the chart's resolution.
func px(n int) vg.Length { return vg.Length(n) * vg.Inch / dpi }

// panel returns a plot with the chart's lettering: large enough to read
// when Slack shows the image at a third of its size.
func panel(title, yLabel string, labels []string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(20)
	p.Title.TextStyle.Font.Weight = ximgfont.WeightBold
	p.Title.Padding = vg.Points(8)
	p.Y.Label.Text = yLabel
	p.X.Label.Text = "week ending"
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(15)
		a.Tick.Label.Font.Size = vg.Points(14)
		a.LineStyle.Width = vg.Points(1)
	}
	p.NominalX(labels...)
	p.Add(plotter.NewGrid())
	return p
}

func barPanel(title, yLabel string, labels []string, v []float64) (*plot.Plot, error) {
	p := panel(title, yLabel, labels)
	bars, err := plotter.NewBarChart(plotter.Values(v), vg.Points(26))
	if err != nil {
		return nil, fmt.Errorf("chart: %s: %w", title, err)
	}
	bars.Color, bars.LineStyle.Width = barColor, 0
	p.Add(bars)
	p.Y.Min = 0
	p.Y.Max = max(p.Y.Max, 1)
	return p, nil
}

// linePanel draws the weeks that have a value as points, joined by lines
// where they follow each other. min and max fix the y range when max is
// above min; otherwise it starts at 0 and fits the data.
func linePanel(title, yLabel string, labels []string, v []float64, has []bool, lo, hi float64) (*plot.Plot, error) {
	p := panel(title, yLabel, labels)
	if err := addLine(p, v, has, lineColor); err != nil {
		return nil, fmt.Errorf("chart: %s: %w", title, err)
	}
	// Keep every week on the x axis, with or without data.
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	if hi > lo {
		p.Y.Min, p.Y.Max = lo, hi
	} else {
		p.Y.Min = 0
		p.Y.Max = max(p.Y.Max, 1)
	}
	return p, nil
}

// addLine draws the weeks that have a value as points in c, joined by
// lines where they follow each other.
func addLine(p *plot.Plot, v []float64, has []bool, c color.Color) error {
	var points, run plotter.XYs
	flush := func() error {
		if len(run) > 1 {
			l, err := plotter.NewLine(run)
			if err != nil {
				return err
			}
			l.Color, l.Width = c, vg.Points(3)
			p.Add(l)
		}
		run = nil
		return nil
	}
	for i := range v {
		if !has[i] {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		pt := plotter.XY{X: float64(i), Y: v[i]}
		points, run = append(points, pt), append(run, pt)
	}
	if err := flush(); err != nil {
		return err
	}
	if len(points) > 0 {
		s, err := plotter.NewScatter(points)
		if err != nil {
			return err
		}
		s.GlyphStyle.Color, s.GlyphStyle.Radius, s.GlyphStyle.Shape = c, vg.Points(5), draw.CircleGlyph{}
		p.Add(s)
	}
	return nil
}

// lineStyle is a legend's swatch for a line of c.
func lineStyle(c color.Color) plot.Thumbnailer {
	l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}})
	l.Color, l.Width = c, vg.Points(3)
	return l
}

// HasDelivery reports whether any week had a delivery event: then the
// chart has the delivery row.
func HasDelivery(weeks []rituals.DigestWeek) bool {
	for _, w := range weeks {
		if !w.Delivery.Empty() {
			return true
		}
	}
	return false
}

package app

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"swarmsim/sim/stats"
)

// The drill panel is the overlay where a trainee answers a drill (the cause
// among the drill's choices, the start marked on the charts, the follow-up
// question) and, once submitted, reads the reveal: the score part by part,
// the evidence chart, what was measured, the explanation, the result line to
// copy and the next drill. LayoutDrillPanel places its content as a list of
// items, so that drawing, clicking and the tests read one layout.

// DrillActionKind is what clicking an item of the drill panel does.
type DrillActionKind int

// The actions.
const (
	ActNone DrillActionKind = iota
	ActChoose
	ActFollowup
	ActClearStart
	ActSubmit
	ActCopy
	ActNext
	ActClose
)

// DrillAction is an action with its choice (1-based) for ActChoose and
// ActFollowup.
type DrillAction struct {
	Kind DrillActionKind
	N    int
}

// ItemKind is how a drill panel item is drawn.
type ItemKind int

// The item kinds.
const (
	ItemText      ItemKind = iota // a line of text in Color
	ItemChoice                    // a choice not picked
	ItemChosen                    // the picked choice
	ItemButton                    // a button
	ItemButtonOff                 // a button that cannot be used yet
	ItemMono                      // the result line
	ItemChart                     // the evidence chart
)

// PanelItem is one line, choice, button or chart of the drill panel.
type PanelItem struct {
	Rect   Rect
	Kind   ItemKind
	Text   string
	Label  string // a muted label before the text (ItemText)
	Size   float64
	Color  color.RGBA
	Action DrillAction
}

// DrillPanel is the laid-out drill panel.
type DrillPanel struct {
	Title string
	Items []PanelItem
}

// At returns the action of the item under a point.
func (p DrillPanel) At(x, y float64) (DrillAction, bool) {
	for _, it := range p.Items {
		if it.Action.Kind != ActNone && it.Rect.Contains(x, y) {
			if it.Kind == ItemButtonOff && it.Action.Kind == ActNext {
				return DrillAction{}, false // a set's last drill has no next one
			}
			return it.Action, true
		}
	}
	return DrillAction{}, false
}

// Find returns the first item with an action.
func (p DrillPanel) Find(a DrillAction) (PanelItem, bool) {
	for _, it := range p.Items {
		if it.Action == a {
			return it, true
		}
	}
	return PanelItem{}, false
}

// WrapFunc splits text into lines at most w wide at a font size.
type WrapFunc func(text string, size, w float64) []string

// LayoutDrillPanel places the drill panel in the layout's overlay: the
// answer until the reveal, then the reveal. next labels its next-drill
// button ("": "Next drill"; NextLabel).
func LayoutDrillPanel(l *Layout, s *DrillSession, next string, wrap WrapFunc) DrillPanel {
	u := l.Scale
	if next == "" {
		next = "Next drill"
	}
	b := panelBuilder{l: l, wrap: wrap, next: next, x: l.Overlay.X + 2*l.Pad, y: l.Overlay.Y + 44*u, w: l.Overlay.W - 4*l.Pad}
	if s.Hidden() {
		return b.answer(s)
	}
	return b.reveal(s)
}

type panelBuilder struct {
	l       *Layout
	wrap    WrapFunc
	next    string
	x, y, w float64
	items   []PanelItem
}

func (b *panelBuilder) lineH(size float64) float64 { return size + 5*b.l.Scale }

// text adds up to maxLines wrapped lines (the last cut with "…").
func (b *panelBuilder) text(label, s string, size float64, col color.RGBA, maxLines int) {
	labelW := 0.0
	if label != "" {
		labelW = 74 * b.l.Scale
	}
	lines := b.wrap(s, size, b.w-labelW)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] += " …"
	}
	for i, ln := range lines {
		it := PanelItem{Rect: Rect{b.x + labelW, b.y, b.w - labelW, b.lineH(size)}, Kind: ItemText, Text: ln, Size: size, Color: col}
		if i == 0 {
			it.Label = label
		}
		b.items = append(b.items, it)
		b.y += b.lineH(size)
	}
}

// choices adds a row per choice, labelled with its key (MenuKey(firstKey+i)).
func (b *panelBuilder) choices(choices []string, picked int, kind DrillActionKind, firstKey int) {
	u := b.l.Scale
	for i, c := range choices {
		it := PanelItem{Rect: Rect{b.x, b.y, b.w, 24 * u}, Kind: ItemChoice, Text: c, Label: MenuKey(firstKey + i),
			Size: b.l.FontBody, Color: ColText, Action: DrillAction{Kind: kind, N: i + 1}}
		if picked == i+1 {
			it.Kind = ItemChosen
		}
		b.items = append(b.items, it)
		b.y += 26 * u
	}
}

func (b *panelBuilder) gap(px float64) { b.y += px * b.l.Scale }

func (b *panelBuilder) answer(s *DrillSession) DrillPanel {
	l, u, d, a := b.l, b.l.Scale, s.Drill, s.Answer()
	b.text("", d.Question, l.FontBody, ColText, 2)
	b.gap(4)
	b.choices(d.Choices, a.Choice, ActChoose, 0)
	b.gap(6)
	b.text("", "When did it start?", l.FontBody, ColText, 1)
	if a.StartGiven {
		clear := PanelItem{Rect: Rect{b.x + b.w - 80*u, b.y, 80 * u, 22 * u}, Kind: ItemButton, Text: "clear", Size: l.FontSmall, Action: DrillAction{Kind: ActClearStart}}
		w := b.w
		b.w -= 90 * u
		b.text("", fmt.Sprintf("at %s, as marked on the charts; click a chart's time axis to move the mark, or clear it if nothing is wrong.", stats.FormatClock(a.Start)), l.FontSmall, ColYourStart, 2)
		b.w = w
		b.items = append(b.items, clear)
	} else {
		b.text("", "Not marked. Close this panel (esc) and click a chart at the moment the trouble began; leave it unmarked if nothing is wrong.", l.FontSmall, ColMuted, 2)
	}
	if f := d.Followup; f != nil {
		b.gap(6)
		b.text("", f.Question, l.FontBody, ColText, 1)
		b.choices(f.Choices, a.Followup, ActFollowup, AnswerFollowupKeys)
	}
	b.gap(8)
	submit := PanelItem{Rect: Rect{b.x, b.y, 120 * u, 28 * u}, Kind: ItemButton, Text: "Submit", Size: l.FontBody, Action: DrillAction{Kind: ActSubmit}}
	hint := "Answers can change until you submit; then the events, the evidence and your score are shown."
	if a.Choice == 0 {
		submit.Kind = ItemButtonOff
		hint = "Choose what is happening first (keys 1-" + fmt.Sprint(len(d.Choices)) + ")."
	}
	b.items = append(b.items, submit, PanelItem{Rect: Rect{b.x + 130*u, b.y + 6*u, b.w - 130*u, b.lineH(l.FontSmall)}, Kind: ItemText, Text: hint, Size: l.FontSmall, Color: ColMuted})
	b.y += 28 * u
	return DrillPanel{Title: s.Title() + ": your answer", Items: b.items}
}

func (b *panelBuilder) reveal(s *DrillSession) DrillPanel {
	l, u, r := b.l, b.l.Scale, s.Result()
	for _, ln := range ResultLines(s) {
		b.text(ln.Label, ln.Text, l.FontBody, ln.Color, 2) // a wrong answer names both choices in full
	}
	b.gap(4)
	// The chart takes the room the texts leave, within 110..260 px.
	footer := b.lineH(l.FontSmall) + 8*u + 28*u
	evidence := EvidenceText(s)
	texts := float64(min(2, len(b.wrap(evidence, l.FontSmall, b.w)))+len(b.wrap(s.Drill.Explanation, l.FontSmall, b.w)))*b.lineH(l.FontSmall) + 12*u
	chartH := math.Min(260*u, math.Max(110*u, l.Overlay.Bottom()-l.Pad-footer-texts-b.y-4*u))
	if _, _, err := s.Departure(); err == nil { // no chart when the runs could not be made
		b.items = append(b.items, PanelItem{Rect: Rect{b.x, b.y, b.w, chartH}, Kind: ItemChart})
		b.y += chartH + 4*u
	}
	b.text("", evidence, l.FontSmall, ColText, 2)
	b.gap(4)
	// The explanation takes the room left above the result line and the
	// buttons.
	room := l.Overlay.Bottom() - l.Pad - footer - b.y
	b.text("", s.Drill.Explanation, l.FontSmall, ColMuted, max(1, int(math.Floor(room/b.lineH(l.FontSmall)))))
	b.y = math.Max(b.y, l.Overlay.Bottom()-l.Pad-footer)
	b.items = append(b.items, PanelItem{Rect: Rect{b.x, b.y, b.w, b.lineH(l.FontSmall)}, Kind: ItemMono, Text: r.Line(), Size: l.FontSmall, Color: ColCyan})
	b.y += b.lineH(l.FontSmall) + 8*u
	x := b.x
	for _, bt := range []struct {
		text string
		w    float64
		kind DrillActionKind
	}{{"Copy result line", 140, ActCopy}, {b.next, 130, ActNext}, {"Close", 80, ActClose}} {
		kind := ItemButton
		if bt.kind == ActNext && strings.HasPrefix(b.next, setDone) {
			kind = ItemButtonOff // the set has no next drill
		}
		b.items = append(b.items, PanelItem{Rect: Rect{x, b.y, bt.w * u, 28 * u}, Kind: kind, Text: bt.text, Size: l.FontBody, Action: DrillAction{Kind: bt.kind}})
		x += (bt.w + 8) * u
	}
	return DrillPanel{Title: fmt.Sprintf("%s: score %d/100", s.Title(), r.Score), Items: b.items}
}

// setDone begins the next-drill button's label after a set's last drill.
const setDone = "Set done"

// NextLabel is the next-drill button's label for the drill at place (1-based)
// of a set of `of` drills ("Next drill" outside a set).
func NextLabel(place, of int) string {
	switch {
	case place == 0:
		return "Next drill"
	case place == of:
		return fmt.Sprintf("%s (%d/%d)", setDone, place, of)
	}
	return fmt.Sprintf("Next: %d of %d", place+1, of)
}

// Package clients models one synthetic live-HLS viewer (an FFmpeg-like
// player process and its restarts) as a compact state machine in virtual
// time. The engine owns the viewers and drives them tick by tick; a viewer
// writes its statistics only through its stats.ClientStats and its shard's
// Tally. The full model is described in the package documentation below
// (filled in as the model is finished).
package clients

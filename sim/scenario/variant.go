package scenario

import "slices"

// Variants (Clients.Variant, Cohort.Variant): which renditions of the
// ladder a client downloads, with the real tool's -variant words.
const (
	// VariantAll downloads every rendition at once (the real tool's
	// default; its FFmpeg maps every stream of the master playlist).
	VariantAll = "all"
	// VariantHighest downloads the rendition of the highest bitrate.
	VariantHighest = "highest"
	// VariantLowest downloads the rendition of the lowest bitrate.
	VariantLowest = "lowest"
	// VariantFirst downloads the ladder's first rendition (the first
	// variant the master playlist lists).
	VariantFirst = "first"
)

// DefaultStatsBuffer is the real tool's per-client parser buffer in lines
// (its -stats-buffer default).
const DefaultStatsBuffer = 1000

// Variants lists the variant words in a stable order.
func Variants() []string { return []string{VariantAll, VariantHighest, VariantLowest, VariantFirst} }

// Renditions returns the video bitrates (kbps) that the clients of cohort
// i download, in ladder order: the cohort's BitrateKbps when it sets one,
// else what its variant (the cohort's, or Clients.Variant) picks from
// Stream.BitratesKbps. It returns nil for a cohort index out of range or
// an empty ladder.
func (s *Scenario) Renditions(i int) []int {
	if i < 0 || i >= len(s.Clients.Cohorts) || len(s.Stream.BitratesKbps) == 0 {
		return nil
	}
	co := &s.Clients.Cohorts[i]
	ladder := s.Stream.BitratesKbps
	if co.BitrateKbps != 0 {
		return []int{co.BitrateKbps}
	}
	variant := s.Clients.Variant
	if co.Variant != "" {
		variant = co.Variant
	}
	switch variant {
	case VariantHighest:
		return []int{slices.Max(ladder)}
	case VariantLowest:
		return []int{slices.Min(ladder)}
	case VariantFirst:
		return []int{ladder[0]}
	default:
		return slices.Clone(ladder)
	}
}

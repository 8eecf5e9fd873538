package drill

import (
	"hash/fnv"
	"math/rand/v2"
)

// Shuffled returns a copy of the drill whose choices, and follow-up choices,
// are in an order drawn from the drill's name and seed, with the answers
// following them. Drill files tend to put the right cause first; a player
// shows the shuffled drill, so that the place of a choice tells nothing,
// while everyone who plays the same drill sees the same order.
func (d *Drill) Shuffled() *Drill {
	h := fnv.New64a()
	h.Write([]byte(d.Scenario.Name))
	rng := rand.New(rand.NewPCG(d.Scenario.Seed, h.Sum64()))
	out := *d
	out.Choices, out.Answer = permute(rng, d.Choices, d.Answer)
	if f := d.Followup; f != nil {
		fu := *f
		fu.Choices, fu.Answer = permute(rng, f.Choices, f.Answer)
		out.Followup = &fu
	}
	return &out
}

// permute returns choices in a random order and the 1-based place of the
// choice that was at answer.
func permute(rng *rand.Rand, choices []string, answer int) ([]string, int) {
	order := rng.Perm(len(choices))
	out := make([]string, len(choices))
	moved := 0
	for to, from := range order {
		out[to] = choices[from]
		if from == answer-1 {
			moved = to + 1
		}
	}
	return out, moved
}

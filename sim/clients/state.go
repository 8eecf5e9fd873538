package clients

// State is the visible state of one viewer, as the grid and the inspector
// show it.
type State uint8

// The viewer states. A viewer starts NotStarted, is Starting while its
// player process connects and fetches its first segment, then Playing,
// Buffering (speed below 0.9x, not yet for 5 s) or Stalled (below 0.9x for
// more than 5 s). A process that exits waits in Backoff before it restarts.
// A viewer that left (churn, remove_clients) or may not restart is Stopped.
const (
	NotStarted State = iota
	Starting
	Playing
	Buffering
	Stalled
	Backoff
	Stopped
	// NumStates is the number of states (for arrays indexed by State).
	NumStates
)

var stateNames = [NumStates]string{"not started", "starting", "playing", "buffering", "stalled", "backoff", "stopped"}

// String names the state ("not started", "playing", ...).
func (s State) String() string {
	if s < NumStates {
		return stateNames[s]
	}
	return "unknown"
}

// Running reports whether a player process exists in this state (Starting,
// Playing, Buffering or Stalled).
func (s State) Running() bool { return s >= Starting && s <= Stalled }

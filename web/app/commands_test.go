package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

func TestMapKey(t *testing.T) {
	cases := []struct {
		mode Mode
		r    rune
		want Command
	}{
		{ModeDashboard, ' ', CmdTogglePause},
		{ModeDashboard, '1', CmdSpeed1},
		{ModeDashboard, '2', CmdSpeed10},
		{ModeDashboard, '3', CmdSpeed60},
		{ModeDashboard, '4', CmdSpeedMax},
		{ModeDashboard, 'r', CmdRestart},
		{ModeDashboard, 'n', CmdNewSeed},
		{ModeDashboard, 'p', CmdPresetMenu},
		{ModeDashboard, 'f', CmdFaultMenu},
		{ModeDashboard, 'o', CmdFaultOutage},
		{ModeDashboard, 'b', CmdFault503},
		{ModeDashboard, 'c', CmdFaultCapacity},
		{ModeDashboard, 's', CmdFaultStale},
		{ModeDashboard, '+', CmdAddClients},
		{ModeDashboard, '-', CmdRemoveClients},
		{ModeDashboard, 'h', CmdHelp},
		{ModeDashboard, '?', CmdHelp},
		{ModeDashboard, 'j', CmdDownloadJSON},
		{ModeDashboard, 'v', CmdDownloadCSV},
		{ModeDashboard, 'x', CmdNone},
		{ModeDashboard, '9', CmdNone},
		// While a menu is open digits pick items instead of changing speed.
		{ModePresetMenu, '1', CmdPick1},
		{ModePresetMenu, '9', CmdPick9},
		{ModeFaultMenu, '3', CmdPick3},
		{ModeFaultMenu, 'o', CmdFaultOutage},
		{ModeHelp, '1', CmdSpeed1},
		{ModeDashboard, 'a', CmdAnswer},
		{ModeDashboard, 'd', CmdDrillMenu},
		{ModeDrillMenu, '2', CmdPick2},
		// In a drill's answer panel, 1-5 pick the cause, 6-0 the follow-up,
		// a closes it, and letters that would leave the drill do nothing.
		{ModeAnswer, '1', CmdPick1},
		{ModeAnswer, '6', CmdPick6},
		{ModeAnswer, '0', CmdPick10},
		{ModeAnswer, 'a', CmdAnswer},
		{ModeAnswer, ' ', CmdTogglePause},
		{ModeAnswer, 'p', CmdNone},
		{ModeAnswer, 'd', CmdNone},
		{ModeAnswer, 'r', CmdNone},
		{ModeAnswer, 'o', CmdNone},
		{ModeAnswer, 'n', CmdNone},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, MapKey(tc.mode, tc.r), "mode %d key %q", tc.mode, tc.r)
	}
}

func TestFaultKindRoundTrip(t *testing.T) {
	for _, item := range FaultMenuItems {
		kind, ok := FaultKind(item.Cmd)
		assert.True(t, ok, item.Label)
		back, ok := FaultCommand(kind)
		assert.True(t, ok, kind)
		assert.Equal(t, item.Cmd, back)
	}
	_, ok := FaultKind(CmdHelp)
	assert.False(t, ok)
	_, ok = FaultCommand("meteor")
	assert.False(t, ok)
	c, ok := FaultCommand("stale_playlist")
	assert.True(t, ok)
	assert.Equal(t, CmdFaultStale, c)
}

func TestEveryKeyBindingCommandHasAKey(t *testing.T) {
	// Each single-command binding in the help overlay is reachable by a key.
	reachable := map[Command]bool{}
	for r := rune(0); r < 128; r++ {
		reachable[MapKey(ModeDashboard, r)] = true
	}
	for _, b := range KeyBindings {
		if b.Cmd != CmdNone {
			assert.True(t, reachable[b.Cmd], "help lists %q but no key maps to it", b.Keys)
		}
	}
	for _, b := range ToolbarButtons {
		assert.True(t, reachable[b.Cmd], "button %q has no key", b.Label)
	}
}

// Every preset has a key in the preset menu (the tenth is 0).
func TestEveryPresetHasAMenuKey(t *testing.T) {
	ps := scenario.Presets()
	require.GreaterOrEqual(t, len(ps), 10)
	for i, p := range ps {
		key := MenuKey(i)
		require.Len(t, key, 1, "preset %d (%s) has a key", i+1, p.Name)
		assert.Equal(t, CmdPick1+Command(i), MapKey(ModePresetMenu, rune(key[0])), p.Name)
	}
	assert.Equal(t, CmdPick10, MapKey(ModePresetMenu, '0'))
	assert.Equal(t, CmdNone, MapKey(ModeDashboard, '0'), "0 is no speed")
}

// Every fault command is one of the live faults the scenario package sizes.
func TestFaultCommandsAreLiveFaults(t *testing.T) {
	live := map[scenario.LiveFault]bool{}
	for _, f := range scenario.LiveFaults() {
		live[f] = true
	}
	for _, cmd := range []Command{CmdFaultOutage, CmdFault503, CmdFaultCapacity, CmdFaultStale, CmdAddClients, CmdRemoveClients} {
		kind, ok := FaultKind(cmd)
		require.True(t, ok, cmd)
		assert.True(t, live[scenario.LiveFault(kind)], "%s is a live fault", kind)
	}
}

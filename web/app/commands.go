package app

import "strings"

// Command is one user action, from a key, a button, a menu item or
// JavaScript.
type Command int

// The commands.
const (
	CmdNone Command = iota
	CmdTogglePause
	CmdSpeed1
	CmdSpeed10
	CmdSpeed60
	CmdSpeedMax
	CmdRestart     // same seed
	CmdNewSeed     // restart with a new seed
	CmdPresetMenu  // open/close the preset picker
	CmdFaultMenu   // open/close the fault menu
	CmdFaultOutage // inject an origin outage
	CmdFault503    // inject a 503 burst
	CmdFaultCapacity
	CmdFaultStale
	CmdAddClients
	CmdRemoveClients
	CmdHelp
	CmdDownloadJSON
	CmdDownloadCSV
	CmdClose // Escape: close the open overlay, menu or inspector
	// CmdAnswer opens or closes a drill's answer panel (the result after
	// the reveal); CmdDrillMenu the list of drills; CmdSubmit submits the
	// answer (Enter in the panel).
	CmdAnswer
	CmdDrillMenu
	CmdSubmit
	CmdPick1 // pick item 1..10 of the open menu (keys 1-9, then 0)
	CmdPick2
	CmdPick3
	CmdPick4
	CmdPick5
	CmdPick6
	CmdPick7
	CmdPick8
	CmdPick9
	CmdPick10
)

// MenuKeys are the keys that pick a menu's items, in order: the menu with
// the most items (the presets) has one for each.
const MenuKeys = "1234567890"

// MenuKey is the key of menu item i ("" beyond MenuKeys).
func MenuKey(i int) string {
	if i < 0 || i >= len(MenuKeys) {
		return ""
	}
	return MenuKeys[i : i+1]
}

// Mode is what has the keyboard: the dashboard, or an open menu.
type Mode int

// The modes.
const (
	ModeDashboard Mode = iota
	ModePresetMenu
	ModeFaultMenu
	ModeHelp
	ModeDrillMenu // the list of drills
	ModeAnswer    // a drill's answer panel, or its reveal once submitted
)

// KeyBinding documents one key for the help overlay.
type KeyBinding struct {
	Keys string
	What string
	Cmd  Command
}

// KeyBindings lists every key, in help-overlay order.
var KeyBindings = []KeyBinding{
	{"space", "pause / resume", CmdTogglePause},
	{"1 2 3 4", "speed 1x, 10x, 60x, max (as fast as frames allow)", CmdNone},
	{"r", "restart with the same seed", CmdRestart},
	{"n", "restart with a new seed", CmdNewSeed},
	{"p", "pick a preset scenario (then 1-9, 0)", CmdPresetMenu},
	{"f", "fault menu (then o b c s + -)", CmdFaultMenu},
	{"o", "inject an origin outage (15 s, connections refused)", CmdFaultOutage},
	{"b", "inject a 503 burst (20 s, half the requests)", CmdFault503},
	{"c", "inject a capacity drop (30 s, 20 % of current demand)", CmdFaultCapacity},
	{"s", "inject a stale playlist (10 s, then a jump)", CmdFaultStale},
	{"+ / -", "add / remove 10 % of the clients", CmdNone},
	{"click", "inspect a client in the grid; hover for its state", CmdNone},
	{"j / v", "download the run as JSON / CSV (sim-native format)", CmdNone},
	{"d", "pick an incident drill: find a hidden fault, then see the answer", CmdDrillMenu},
	{"a", "in a drill: answer (1-5 the cause, 6-0 the follow-up, enter submits); then the result", CmdAnswer},
	{"h or ?", "this help", CmdHelp},
	{"esc", "close menu, help or inspector", CmdClose},
}

// MapKey returns the command for a typed character (a rune from the
// keyboard's text input) in a mode. Digits pick menu items while a menu is
// open and set the speed otherwise.
func MapKey(mode Mode, r rune) Command {
	if mode == ModeAnswer {
		return answerKey(r)
	}
	if mode == ModePresetMenu || mode == ModeFaultMenu || mode == ModeDrillMenu {
		if i := strings.IndexRune(MenuKeys, r); i >= 0 {
			return CmdPick1 + Command(i)
		}
	}
	switch r {
	case ' ':
		return CmdTogglePause
	case '1':
		return CmdSpeed1
	case '2':
		return CmdSpeed10
	case '3':
		return CmdSpeed60
	case '4':
		return CmdSpeedMax
	case 'r', 'R':
		return CmdRestart
	case 'n', 'N':
		return CmdNewSeed
	case 'p', 'P':
		return CmdPresetMenu
	case 'f', 'F':
		return CmdFaultMenu
	case 'o', 'O':
		return CmdFaultOutage
	case 'b', 'B':
		return CmdFault503
	case 'c', 'C':
		return CmdFaultCapacity
	case 's', 'S':
		return CmdFaultStale
	case '+', '=':
		return CmdAddClients
	case '-', '_':
		return CmdRemoveClients
	case 'h', 'H', '?':
		return CmdHelp
	case 'a', 'A':
		return CmdAnswer
	case 'd', 'D':
		return CmdDrillMenu
	case 'j', 'J':
		return CmdDownloadJSON
	case 'v', 'V':
		return CmdDownloadCSV
	case 0x1b:
		return CmdClose
	}
	return CmdNone
}

// answerKey maps a key in a drill's answer panel: 1-5 pick the cause and 6-0
// the follow-up's answer (CmdPick1..CmdPick10), a closes the panel, space
// pauses. Every other key does nothing there, so that a stray letter (p, d,
// r) cannot leave the drill and lose the answer.
func answerKey(r rune) Command {
	if i := strings.IndexRune(MenuKeys, r); i >= 0 {
		return CmdPick1 + Command(i)
	}
	switch r {
	case 'a', 'A':
		return CmdAnswer
	case ' ':
		return CmdTogglePause
	case 0x1b:
		return CmdClose
	}
	return CmdNone
}

// AnswerFollowupKeys is where the keys of the follow-up's answers start in
// MenuKeys (6, 7, 8, 9, 0).
const AnswerFollowupKeys = 5

// FaultMenuItems are the fault menu's entries, in order (picked with 1..6
// or their letters).
var FaultMenuItems = []struct {
	Label string
	Cmd   Command
}{
	{"o  outage: origin refuses connections for 15 s", CmdFaultOutage},
	{"b  503 burst: half the requests fail for 20 s", CmdFault503},
	{"c  capacity drop to 20 % of demand for 30 s", CmdFaultCapacity},
	{"s  stale playlist for 10 s, then a jump", CmdFaultStale},
	{"+  add 10 % more clients", CmdAddClients},
	{"-  remove 10 % of the clients", CmdRemoveClients},
}

// FaultKind returns the JavaScript/API name of a fault command and whether
// the command is a fault.
func FaultKind(c Command) (string, bool) {
	switch c {
	case CmdFaultOutage:
		return "outage", true
	case CmdFault503:
		return "503", true
	case CmdFaultCapacity:
		return "capacity", true
	case CmdFaultStale:
		return "stale", true
	case CmdAddClients:
		return "add", true
	case CmdRemoveClients:
		return "remove", true
	}
	return "", false
}

// FaultCommand is the inverse of FaultKind; it also accepts the scenario
// kind names ("error_burst", "stale_playlist", "add_clients", ...).
func FaultCommand(kind string) (Command, bool) {
	switch kind {
	case "outage":
		return CmdFaultOutage, true
	case "503", "error_burst", "burst":
		return CmdFault503, true
	case "capacity", "capacity_drop":
		return CmdFaultCapacity, true
	case "stale", "stale_playlist":
		return CmdFaultStale, true
	case "add", "add_clients", "+":
		return CmdAddClients, true
	case "remove", "remove_clients", "-":
		return CmdRemoveClients, true
	}
	return CmdNone, false
}

package tui

import (
	"context"
	"io"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Terminal is where the program runs: its keys and its screen. nil fields
// are the process's terminal.
type Terminal struct {
	In  io.Reader
	Out io.Writer
}

// Run shows the dashboard on the terminal until the run ends, q or Ctrl-C
// is pressed, or ctx is cancelled, then restores the terminal. It reports
// whether the run was interrupted (it did not reach its end).
func Run(ctx context.Context, cfg Config, term Terminal) (interrupted bool, err error) {
	var opts []tea.ProgramOption
	opts = append(opts, tea.WithAltScreen(), tea.WithoutSignalHandler())
	if term.In != nil {
		opts = append(opts, tea.WithInput(term.In))
	}
	if term.Out != nil {
		opts = append(opts, tea.WithOutput(term.Out))
		if cfg.Renderer == nil {
			cfg.Renderer = lipgloss.NewRenderer(term.Out)
		}
	}
	m := New(cfg)
	p := tea.NewProgram(m, opts...)
	stop := context.AfterFunc(ctx, func() { p.Send(QuitMsg{}) })
	defer stop()
	if _, err := p.Run(); err != nil {
		return m.Interrupted(), err
	}
	return m.Interrupted(), nil
}

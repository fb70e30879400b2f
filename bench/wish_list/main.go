// wish_list: the session-cost baseline: Charm's Wish SSH server running a Bubble Tea list of
// the same 40 products as bench_items.h and toy_list.c (j/k move, q quits). It accepts any
// public key, listens on 127.0.0.1 (port 0 picks a free one) and prints "port N" once it does.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/gliderlabs/ssh"
)

const nItems = 40

var games = []string{"Minecraft", "Rust", "Valheim", "Terraria", "ARK", "Palworld",
	"Satisfactory", "Factorio"}
var tiers = []string{"Dirt", "Stone", "Iron", "Gold", "Diamond"}

// As bench_items.h: item i is game i % 8 at tier i / 8.
func itemName(i int) string { return games[i%len(games)] + " " + tiers[i/len(games)] }
func itemSize(i int) int    { return (i*3+i/len(games))%8 + 1 }
func itemPrice(i int) int   { return 199 + itemSize(i)*250 + (i/len(games))*100 + (i%4)*25 }

type list struct {
	selected, top, rows, cols int
}

func (l *list) Init() tea.Cmd { return nil }

func (l *list) listRows() int { return l.rows - 2 } // a title row above, a key row below

func (l *list) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		l.rows, l.cols = msg.Height, msg.Width
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "ctrl+c":
			return l, tea.Quit
		case "j", "down":
			if l.selected < nItems-1 {
				l.selected++
			}
		case "k", "up":
			if l.selected > 0 {
				l.selected--
			}
		}
	}
	if l.selected < l.top {
		l.top = l.selected
	}
	if n := l.listRows(); n > 0 && l.selected >= l.top+n {
		l.top = l.selected - n + 1
	}
	return l, nil
}

func (l *list) View() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\x1b[1m Toy list · %d items\x1b[0m\n", nItems)
	for y := 0; y < l.listRows(); y++ {
		i := l.top + y
		if i < nItems {
			cents := itemPrice(i)
			price := fmt.Sprintf("from $%d.%02d/mo", cents/100, cents%100)
			pad := l.cols - 2 - len(price) - 2 - len(itemName(i))
			if pad < 1 {
				pad = 1
			}
			row := "  " + itemName(i) + strings.Repeat(" ", pad) + price + "  "
			if i == l.selected {
				row = "\x1b[7m" + row + "\x1b[0m"
			}
			b.WriteString(row)
		}
		b.WriteString("\n")
	}
	b.WriteString(" j/k move  q quit")
	return b.String()
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	hostKey := flag.String("host-key", "wish_list_ed25519", "host key file (made if missing)")
	flag.Parse()
	s, err := wish.NewServer(
		wish.WithHostKeyPath(*hostKey),
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		wish.WithMiddleware(bm.Middleware(func(s ssh.Session) (tea.Model, []tea.ProgramOption) {
			pty, _, ok := s.Pty()
			if !ok {
				fmt.Fprintln(s.Stderr(), "wish_list: a pty is needed")
				return nil, nil
			}
			return &list{rows: pty.Window.Height, cols: pty.Window.Width},
				[]tea.ProgramOption{tea.WithAltScreen()}
		})),
	)
	if err != nil {
		log.Fatalln(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalln(err)
	}
	fmt.Printf("port %d\n", ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	log.Fatalln(s.Serve(ln))
}

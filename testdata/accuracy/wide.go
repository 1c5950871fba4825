package main

// The second shape (-shape wide): a parent of 2 children and a parent of
// 20 different children, so that what a child costs its parent is checked
// away from the first shape's loop of two sites (issue 26, A3).
//
//	rootW -> pair x4 -> (leafA, leafB); rootW -> wide x2 -> (w01 ... w20); rootW -> tail
const (
	pairUnits  = 30
	wideUnits  = 60
	wOddUnits  = 6  // ~30 ns
	wEvenUnits = 12 // ~60 ns
)

func rootW() {
	work(rootUnits)
	for range 4 {
		pair()
	}
	for range 2 {
		wide()
	}
	tail()
}

func pair() {
	work(pairUnits)
	leafA()
	leafB()
}

func wide() {
	work(wideUnits)
	w01()
	w02()
	w03()
	w04()
	w05()
	w06()
	w07()
	w08()
	w09()
	w10()
	w11()
	w12()
	w13()
	w14()
	w15()
	w16()
	w17()
	w18()
	w19()
	w20()
}

func w01() { work(wOddUnits) }
func w02() { work(wEvenUnits) }
func w03() { work(wOddUnits) }
func w04() { work(wEvenUnits) }
func w05() { work(wOddUnits) }
func w06() { work(wEvenUnits) }
func w07() { work(wOddUnits) }
func w08() { work(wEvenUnits) }
func w09() { work(wOddUnits) }
func w10() { work(wEvenUnits) }
func w11() { work(wOddUnits) }
func w12() { work(wEvenUnits) }
func w13() { work(wOddUnits) }
func w14() { work(wEvenUnits) }
func w15() { work(wOddUnits) }
func w16() { work(wEvenUnits) }
func w17() { work(wOddUnits) }
func w18() { work(wEvenUnits) }
func w19() { work(wOddUnits) }
func w20() { work(wEvenUnits) }

// wideFunctions is the wide shape's call tree, per rootW call.
func wideFunctions() []function {
	fs := []function{
		{"main.rootW", 1, rootUnits},
		{"main.pair", 4, pairUnits},
		{"main.leafA", 4, leafAUnits},
		{"main.leafB", 4, leafBUnits},
		{"main.wide", 2, wideUnits},
		{"main.tail", 1, tailUnits},
	}
	for i := 1; i <= 20; i++ {
		u := wOddUnits
		if i%2 == 0 {
			u = wEvenUnits
		}
		fs = append(fs, function{"main.w" + string(rune('0'+i/10)) + string(rune('0'+i%10)), 2, u})
	}
	return fs
}

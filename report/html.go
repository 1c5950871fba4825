package report

import "io"

func writeHTML(w io.Writer, d *data) error { return nil }

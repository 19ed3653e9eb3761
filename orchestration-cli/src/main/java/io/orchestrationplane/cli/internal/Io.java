package io.orchestrationplane.cli.internal;

import java.io.PrintStream;
import java.time.Clock;

/** Where a run writes (results to {@code out}, diagnostics to {@code err}) and its clock. */
record Io(PrintStream out, PrintStream err, Clock clock) {}

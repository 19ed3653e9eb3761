/**
 * The {@code orchestrate} command-line tool for CI pipelines: {@link
 * io.orchestrationplane.cli.Orchestrate} (the entry point, also callable in-process) and its
 * {@link io.orchestrationplane.cli.ExitCode}s. The commands themselves live in {@code
 * cli.internal}; the command line is the public interface. Stateless and thread-safe: every run
 * builds its own plane. Null-marked: parameters and return values are non-null unless annotated
 * {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.cli;

import org.jspecify.annotations.NullMarked;

/**
 * The commands of {@code orchestrate} (picocli), the options they share ({@link
 * io.orchestrationplane.cli.internal.TargetOptions}, {@link
 * io.orchestrationplane.cli.internal.OutputOptions}), the plane a run builds ({@link
 * io.orchestrationplane.cli.internal.Session}), and how results, errors and policy findings are
 * written as text, JSON or SARIF 2.1.0. A command is one class extending {@link
 * io.orchestrationplane.cli.internal.BaseCommand} and one line in {@link
 * io.orchestrationplane.cli.internal.RootCommand}'s list. Not thread-safe: one run per instance.
 * Null-marked.
 */
@NullMarked
package io.orchestrationplane.cli.internal;

import org.jspecify.annotations.NullMarked;

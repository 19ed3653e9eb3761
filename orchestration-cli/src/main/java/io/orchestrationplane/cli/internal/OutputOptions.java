package io.orchestrationplane.cli.internal;

import picocli.CommandLine.Option;

/** {@code --output text|json|sarif}, shared by every command. */
final class OutputOptions {
  /** What a command writes to standard output. */
  enum Format { TEXT, JSON, SARIF }

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default), json, or sarif (SARIF 2.1.0: policy violations and invalid input as results with file and line).")
  Format format = Format.TEXT;
}

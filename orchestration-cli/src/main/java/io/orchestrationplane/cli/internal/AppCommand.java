package io.orchestrationplane.cli.internal;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** A command over one application file and a target: reads both before it runs. */
abstract class AppCommand extends BaseCommand {
  @ParentCommand
  RootCommand root;

  @Mixin
  TargetOptions target = new TargetOptions();

  @Override
  Io io() {
    return root.io;
  }

  /** Reads the application file and the policies, and opens a session placing on their clusters. */
  Session open(Path file) {
    policyFiles = AppFile.policies(target.policies);
    app = AppFile.read(file);
    return Session.open(target, io(), policyFiles, List.of(app.application()));
  }

  /** The file as revisions record it ({@code Origin.file}). */
  static String origin(Path file) {
    return Paths.display(file);
  }
}

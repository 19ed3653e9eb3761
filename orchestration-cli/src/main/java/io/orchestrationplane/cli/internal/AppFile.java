package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.SourceMap;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.policy.PolicyLoader;
import io.orchestrationplane.policy.PolicySet;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** An application read from a file, with where each of its fields was written. */
record AppFile(Path path, Application application, SourceMap source) {
  /** A 1-based line and column; 0 when unknown. */
  record Position(int line, int column) {
    static final Position NONE = new Position(0, 0);
  }

  /** A file of admission policies, the names of the policies it holds, and where its fields are. */
  record PolicyFile(Path path, PolicySet policies, Set<String> names, YamlLines lines) {}

  /**
   * Reads and decodes an application (structure only; the plane validates it against its types
   * and clusters). A structural problem throws {@link ValidationException} with lines and columns.
   */
  static AppFile read(Path path) {
    String text = text(path);
    try {
      ApplicationCodec.Decoded decoded = ApplicationCodec.readYaml(text);
      return new AppFile(path, decoded.application(), decoded.source());
    } catch (ValidationException e) {
      throw new FileValidationException(path, e);
    }
  }

  /** Where the component that rendered an object is written: its list item's line. */
  Position componentPosition(@Nullable String component) {
    if (component != null) {
      List<Component> components = application.components();
      for (int i = 0; i < components.size(); i++) {
        if (components.get(i).name().equals(component)) {
          return position("spec.components[" + i + "]");
        }
      }
    }
    return position("metadata");
  }

  private Position position(String field) {
    return source.locate(field).map(l -> new Position(l.line(), l.column())).orElse(Position.NONE);
  }

  /** Every policy file (a file, or the .yaml/.yml files of a directory in name order). */
  static List<PolicyFile> policies(List<Path> paths) {
    List<PolicyFile> out = new ArrayList<>();
    for (Path p : paths) {
      List<Path> files;
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          files = s.filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
              .sorted().toList();
        } catch (IOException e) {
          throw CliException.invalid("cannot list policy directory " + Paths.display(p) + ": " + e.getMessage());
        }
      } else {
        files = List.of(p);
      }
      for (Path f : files) {
        String text = text(f);
        PolicySet set;
        try {
          set = PolicyLoader.load(text);
        } catch (io.orchestrationplane.policy.PolicyCompileException e) {
          throw new PolicyFileException(new PolicyFile(f, PolicySet.empty(), Set.of(), YamlLines.of(text)), e);
        } catch (IllegalArgumentException e) {
          throw CliException.invalid(Paths.display(f) + ": " + e.getMessage());
        }
        Set<String> names = new TreeSet<>();
        set.policies().forEach(v -> names.add(v.name()));
        out.add(new PolicyFile(f, set, names, YamlLines.of(text)));
      }
    }
    return out;
  }

  /** The UTF-8 text of a file; a missing or unreadable file is invalid input naming it. */
  static String text(Path path) {
    try {
      byte[] bytes = Files.readAllBytes(path);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw CliException.invalid(Paths.display(path) + ": no such file");
    } catch (CharacterCodingException e) {
      throw CliException.invalid(Paths.display(path) + ": not UTF-8 text");
    } catch (IOException e) {
      throw CliException.invalid(Paths.display(path) + ": cannot read: " + e.getMessage());
    }
  }

  /** A policy of a file that does not compile, remembering which file. */
  static final class PolicyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient PolicyFile file;
    private final transient io.orchestrationplane.policy.PolicyCompileException cause;

    PolicyFileException(PolicyFile file, io.orchestrationplane.policy.PolicyCompileException cause) {
      super(cause.getMessage(), cause);
      this.file = file;
      this.cause = cause;
    }

    PolicyFile file() {
      return file;
    }

    io.orchestrationplane.policy.PolicyCompileException compile() {
      return cause;
    }
  }

  /** A structural problem of a file, remembering which file. */
  static final class FileValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;
    private final transient ValidationException cause;

    FileValidationException(Path path, ValidationException cause) {
      super(cause.getMessage(), cause);
      this.path = path;
      this.cause = cause;
    }

    Path path() {
      return path;
    }

    ValidationException validation() {
      return cause;
    }
  }
}

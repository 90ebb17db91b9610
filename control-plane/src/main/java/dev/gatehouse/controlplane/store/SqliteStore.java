package dev.gatehouse.controlplane.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.audit.AuditChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The embedded store: one SQLite file in the data directory.
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so a transaction is on disk (the WAL
 * fsynced) before {@link #write} returns and the API acknowledges it; {@code NORMAL} would survive
 * a killed process but could lose the last commits on power loss. All access goes through one
 * connection guarded by one lock: writes are serialised (two approvals of one request run one after
 * the other, and the second sees the first's result), and SQLite's own locking is never contended.
 * {@code BEGIN IMMEDIATE} takes the write lock up front in case another process opens the file.
 *
 * <p>Schema changes are numbered migrations applied in order at start-up and recorded in
 * {@code schema_migrations}; a database newer than this code is refused.
 */
public final class SqliteStore implements Store {
  /** Each entry is one migration, applied in one transaction. Never edit a released entry: append. */
  static final List<String[]> MIGRATIONS = List.<String[]>of(
      new String[] {
          "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
          "CREATE TABLE requests (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, requester TEXT NOT NULL, doc TEXT NOT NULL,"
              + " state TEXT NOT NULL, decision TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
              + " grant_id TEXT, extends_grant TEXT, break_glass INTEGER NOT NULL, needs_review INTEGER NOT NULL,"
              + " policy_revision TEXT NOT NULL, closed_by TEXT)",
          "CREATE INDEX requests_state ON requests(state)",
          "CREATE INDEX requests_requester ON requests(requester)",
          "CREATE TABLE reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL REFERENCES requests(id),"
              + " reviewer TEXT NOT NULL, reviewer_key TEXT NOT NULL, vote TEXT NOT NULL, comment TEXT, at TEXT NOT NULL,"
              + " doc TEXT NOT NULL, decision TEXT NOT NULL, UNIQUE (request_id, reviewer_key))",
          "CREATE TABLE grants (id TEXT PRIMARY KEY, request_id TEXT NOT NULL UNIQUE REFERENCES requests(id),"
              + " subject TEXT NOT NULL, doc TEXT NOT NULL, jws TEXT NOT NULL, state TEXT NOT NULL, not_before TEXT NOT NULL,"
              + " expires_at TEXT NOT NULL, break_glass INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
          "CREATE INDEX grants_state ON grants(state)",
          "CREATE INDEX grants_subject ON grants(subject)",
          "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL,"
              + " subject TEXT NOT NULL, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
          "CREATE TABLE audit_heads (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, at TEXT NOT NULL, jws TEXT NOT NULL)",
          "INSERT INTO meta (key, value) VALUES ('grants_sequence', '0')"
      });

  private final Connection conn;
  private final ReentrantLock lock = new ReentrantLock();
  private final Path file;

  private SqliteStore(Path file, Connection conn) {
    this.file = file;
    this.conn = conn;
  }

  /** Opens (creating when absent) {@code file} and applies pending migrations. */
  public static SqliteStore open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=10000");
      }
      c.setAutoCommit(true);
      SqliteStore store = new SqliteStore(file, c);
      store.migrate();
      return store;
    } catch (Exception e) {
      throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** The schema version in force (the number of applied migrations). */
  public int schemaVersion() {
    return locked(() -> {
      try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_migrations")) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    });
  }

  private void migrate() throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    }
    int current;
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
      current = rs.getInt(1);
    }
    if (current > MIGRATIONS.size()) {
      throw new SQLException("the database has schema version " + current + " but this control plane knows only "
          + MIGRATIONS.size() + "; run a newer gatehouse");
    }
    for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
      conn.setAutoCommit(false);
      try (Statement s = conn.createStatement()) {
        for (String sql : MIGRATIONS.get(v - 1)) {
          s.execute(sql);
        }
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")) {
          p.setInt(1, v);
          p.setString(2, Instant.now().toString());
          p.executeUpdate();
        }
        conn.commit();
      } catch (SQLException e) {
        conn.rollback();
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    }
  }

  // ------------------------------------------------------------------ writes

  @Override
  public <T> T write(Function<Tx, T> work) {
    lock.lock();
    try {
      try (Statement s = conn.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
      boolean ok = false;
      try {
        T out = work.apply(new SqlTx());
        try (Statement s = conn.createStatement()) {
          s.execute("COMMIT");
        }
        ok = true;
        return out;
      } finally {
        if (!ok) {
          try (Statement s = conn.createStatement()) {
            s.execute("ROLLBACK");
          } catch (SQLException ignored) {
            // the failure being thrown is the one to report
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("store write failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private final class SqlTx implements Tx {
    @Override
    public void insertRequest(RequestRecord r) {
      run("INSERT INTO requests (id, seq, requester, doc, state, decision, created_at, updated_at, grant_id, extends_grant,"
              + " break_glass, needs_review, policy_revision, closed_by)"
              + " VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM requests), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          r.id(), r.requester(), Jsons.write(r.doc()), r.state().wire(), Jsons.write(r.decision()),
          r.createdAt().toString(), r.updatedAt().toString(), r.grantId(), r.extendsGrant(), r.breakGlass() ? 1 : 0,
          r.needsReview() ? 1 : 0, r.policyRevision(), r.closedBy());
    }

    @Override
    public void updateRequest(RequestRecord r) {
      run("UPDATE requests SET state = ?, updated_at = ?, grant_id = ?, needs_review = ?, closed_by = ?, doc = ? WHERE id = ?",
          r.state().wire(), r.updatedAt().toString(), r.grantId(), r.needsReview() ? 1 : 0, r.closedBy(),
          Jsons.write(r.doc()), r.id());
    }

    @Override
    public void insertReview(ReviewRecord r) {
      try {
        run("INSERT INTO reviews (request_id, reviewer, reviewer_key, vote, comment, at, doc, decision)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            r.requestId(), r.reviewer(), r.reviewerKey(), r.vote(), r.comment(), r.at().toString(),
            Jsons.write(r.doc()), Jsons.write(r.decision()));
      } catch (StoreException e) {
        if (e.getCause() instanceof SQLException se && String.valueOf(se.getMessage()).contains("UNIQUE")) {
          throw new DuplicateVoteException(r.reviewer() + " already reviewed request " + r.requestId());
        }
        throw e;
      }
    }

    @Override
    public void insertGrant(GrantRecord g) {
      run("INSERT INTO grants (id, request_id, subject, doc, jws, state, not_before, expires_at, break_glass, created_at,"
              + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          g.id(), g.requestId(), g.subject(), Jsons.write(g.doc()), g.jws(), g.state().wire(), g.notBefore().toString(),
          g.expiresAt().toString(), g.breakGlass() ? 1 : 0, g.createdAt().toString(), g.updatedAt().toString());
    }

    @Override
    public void updateGrant(GrantRecord g) {
      run("UPDATE grants SET doc = ?, jws = ?, state = ?, updated_at = ? WHERE id = ?",
          Jsons.write(g.doc()), g.jws(), g.state().wire(), g.updatedAt().toString(), g.id());
    }

    @Override
    public AuditEvent audit(Instant at, String type, String actor, String subject, String dataJson) {
      long seq = 1;
      String prev = AuditChain.GENESIS;
      try (Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
        if (rs.next()) {
          seq = rs.getLong(1) + 1;
          prev = rs.getString(2);
        }
      } catch (SQLException e) {
        throw new StoreException("audit read failed: " + e.getMessage(), e);
      }
      String atText = Jsons.timeMillis(at);
      String a = actor == null ? "" : actor;
      String sub = subject == null ? "" : subject;
      String data = dataJson == null ? "{}" : dataJson;
      String hash = AuditChain.hash(prev, seq, atText, type, a, sub, data);
      run("INSERT INTO audit (seq, at, type, actor, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          seq, atText, type, a, sub, data, prev, hash);
      return new AuditEvent(seq, atText, type, a, sub, data, prev, hash);
    }

    @Override
    public void insertHead(SignedHead h) {
      run("INSERT OR REPLACE INTO audit_heads (seq, hash, at, jws) VALUES (?, ?, ?, ?)", h.seq(), h.hash(), h.at(), h.jws());
    }

    @Override
    public long bumpGrantsSequence() {
      run("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'grants_sequence'");
      return grantsSequenceUnlocked();
    }

    @Override
    public void putMeta(String key, String value) {
      run("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
    }

    @Override
    public Store reads() {
      return SqliteStore.this;
    }
  }

  private void run(String sql, Object... args) {
    try (PreparedStatement p = conn.prepareStatement(sql)) {
      bind(p, args);
      p.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("store write failed: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement p, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        p.setNull(i + 1, java.sql.Types.VARCHAR);
      } else if (a instanceof Long l) {
        p.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        p.setInt(i + 1, n);
      } else {
        p.setString(i + 1, a.toString());
      }
    }
  }

  // ------------------------------------------------------------------ reads

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private <T> T locked(SqlWork<T> w) {
    lock.lock();
    try {
      return w.run();
    } catch (SQLException e) {
      throw new StoreException("store read failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    return locked(() -> {
      try (PreparedStatement p = conn.prepareStatement(sql)) {
        bind(p, args);
        try (ResultSet rs = p.executeQuery()) {
          List<T> out = new ArrayList<>();
          while (rs.next()) {
            out.add(mapper.map(rs));
          }
          return out;
        }
      }
    });
  }

  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private static ObjectNode obj(String json) {
    return Jsons.parseObject(json);
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static RequestRecord request(ResultSet rs) throws SQLException {
    return new RequestRecord(rs.getString("id"), rs.getString("requester"), obj(rs.getString("doc")),
        RequestState.parse(rs.getString("state")), obj(rs.getString("decision")), instant(rs.getString("created_at")),
        instant(rs.getString("updated_at")), rs.getString("grant_id"), rs.getString("extends_grant"),
        rs.getInt("break_glass") != 0, rs.getInt("needs_review") != 0, rs.getString("policy_revision"),
        rs.getString("closed_by"));
  }

  private static ReviewRecord review(ResultSet rs) throws SQLException {
    return new ReviewRecord(rs.getLong("id"), rs.getString("request_id"), rs.getString("reviewer"),
        rs.getString("reviewer_key"), rs.getString("vote"), rs.getString("comment"), instant(rs.getString("at")),
        obj(rs.getString("doc")), obj(rs.getString("decision")));
  }

  private static GrantRecord grant(ResultSet rs) throws SQLException {
    return new GrantRecord(rs.getString("id"), rs.getString("request_id"), rs.getString("subject"),
        obj(rs.getString("doc")), rs.getString("jws"), GrantState.valueOf(rs.getString("state").toUpperCase()),
        instant(rs.getString("not_before")), instant(rs.getString("expires_at")), rs.getInt("break_glass") != 0,
        instant(rs.getString("created_at")), instant(rs.getString("updated_at")));
  }

  private static AuditEvent event(ResultSet rs) throws SQLException {
    return new AuditEvent(rs.getLong("seq"), rs.getString("at"), rs.getString("type"), rs.getString("actor"),
        rs.getString("subject"), rs.getString("data"), rs.getString("prev_hash"), rs.getString("hash"));
  }

  @Override
  public Optional<RequestRecord> request(String id) {
    return query("SELECT * FROM requests WHERE id = ?", SqliteStore::request, id).stream().findFirst();
  }

  @Override
  public List<RequestRecord> requests(RequestQuery q) {
    StringBuilder sql = new StringBuilder("SELECT * FROM requests WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.requester() != null) {
      sql.append(" AND requester = ?");
      args.add(q.requester());
    }
    if (q.state() != null) {
      sql.append(" AND state = ?");
      args.add(q.state().wire());
    }
    if (q.needsReview()) {
      sql.append(" AND needs_review = 1");
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    args.add(q.limit());
    return query(sql.toString(), SqliteStore::request, args.toArray());
  }

  @Override
  public List<ReviewRecord> reviews(String requestId) {
    return query("SELECT * FROM reviews WHERE request_id = ? ORDER BY id", SqliteStore::review, requestId);
  }

  @Override
  public Optional<GrantRecord> grant(String id) {
    return query("SELECT * FROM grants WHERE id = ?", SqliteStore::grant, id).stream().findFirst();
  }

  @Override
  public List<GrantRecord> grants(GrantQuery q) {
    StringBuilder sql = new StringBuilder("SELECT * FROM grants WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.subject() != null) {
      sql.append(" AND subject = ?");
      args.add(q.subject());
    }
    if (q.states() != null && !q.states().isEmpty()) {
      sql.append(" AND state IN (").append("?,".repeat(q.states().size() - 1)).append("?)");
      q.states().forEach(s -> args.add(s.wire()));
    }
    sql.append(" ORDER BY id LIMIT ?");
    args.add(q.limit());
    List<GrantRecord> out = query(sql.toString(), SqliteStore::grant, args.toArray());
    // Instant.toString() texts sort as instants only at equal precision: compare in Java.
    if (q.expiresAfter() != null) {
      out = out.stream().filter(g -> g.expiresAt().isAfter(q.expiresAfter())).toList();
    }
    return out;
  }

  @Override
  public BundleRows bundleRows() {
    return write(tx -> new BundleRows(grantsSequenceUnlocked(), query(
        "SELECT id, updated_at, doc, jws FROM grants WHERE state IN ('scheduled', 'active', 'revoked') ORDER BY id",
        rs -> new BundleRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))));
  }

  @Override
  public List<AuditEvent> audit(long from, int limit) {
    return query("SELECT * FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?", SqliteStore::event, from, limit);
  }

  @Override
  public Optional<AuditEvent> lastAudit() {
    return query("SELECT * FROM audit ORDER BY seq DESC LIMIT 1", SqliteStore::event).stream().findFirst();
  }

  @Override
  public List<SignedHead> heads(int limit) {
    return query("SELECT * FROM audit_heads ORDER BY seq DESC LIMIT ?",
        rs -> new SignedHead(rs.getLong("seq"), rs.getString("hash"), rs.getString("at"), rs.getString("jws")), limit);
  }

  @Override
  public long grantsSequence() {
    return locked(this::grantsSequenceUnlocked);
  }

  private long grantsSequenceUnlocked() {
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'grants_sequence'")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("store read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> meta(String key) {
    return query("SELECT value FROM meta WHERE key = ?", rs -> rs.getString(1), key).stream().findFirst();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      conn.close();
    } catch (SQLException e) {
      throw new StoreException("store close failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}

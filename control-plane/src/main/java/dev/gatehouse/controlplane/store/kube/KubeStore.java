package dev.gatehouse.controlplane.store.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.audit.AuditChain;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.store.GrantRecord;
import dev.gatehouse.controlplane.store.GrantState;
import dev.gatehouse.controlplane.store.RequestRecord;
import dev.gatehouse.controlplane.store.RequestState;
import dev.gatehouse.controlplane.store.ReviewRecord;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.controlplane.store.StoreException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's store on the Kubernetes API ({@code --store kubernetes}): requests and their
 * votes as {@link AccessRequest}s, grants as {@link AccessGrant}s, the audit chain in ConfigMap
 * chunks, all in one namespace, so several control-plane replicas share one state.
 *
 * <p><b>Transactions.</b> The ConfigMap {@code gatehouse-store} is the commit point: it holds the
 * counters (commit, grants sequence, audit head, request and review numbers), meta values and, while
 * a commit is being applied, its redo journal. A transaction reads it (resourceVersion R), runs
 * against the objects as they are (its own writes buffered and visible to its reads), then replaces
 * it <i>at resourceVersion R</i> with the new counters and the journal of every object it writes.
 * That compare-and-swap is the commit: a replica that committed anything in between makes it fail
 * with 409, and the transaction runs again from the start on the new state. So two replicas
 * approving the same request never both see it pending: exactly one grant is issued. The journal
 * is then applied to the objects (status through the status subresource) and cleared; a replica
 * that dies in between leaves it in the head, and the next transaction or read applies it first
 * (roll forward). Applying is idempotent and ordered: each object's {@code status.commit} says
 * which commit wrote it, and an older journal never overwrites a newer one (writes use the
 * object's resourceVersion).
 *
 * <p><b>Audit.</b> The hash chain stays in the cluster, in ConfigMaps {@code gatehouse-audit-N} of
 * {@value #CHUNK} events each (key = zero-padded seq, value = the event JSON), written through the
 * same journal, so an event commits with the change it records; signed heads in
 * {@code gatehouse-audit-heads} (the last {@value #KEEP_HEADS}).
 */
public final class KubeStore implements Store {
  private static final Logger LOG = Logger.getLogger(KubeStore.class.getName());
  static final String HEAD = "gatehouse-store";
  static final String HEADS = "gatehouse-audit-heads";
  static final String AUDIT_PREFIX = "gatehouse-audit-";
  static final int CHUNK = 200;
  static final int KEEP_HEADS = 50;
  static final String STATE_LABEL = "gatehouse.dev/state";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final ObjectMapper JSON = Jsons.MAPPER;
  private static final int MAX_ATTEMPTS = 60;

  private final KubernetesClient client;
  private final String namespace;
  private final ReentrantLock local = new ReentrantLock();
  /** Requests' filing numbers (immutable once filed), to sort listings without re-reading. */
  private final Map<String, Long> requestSeqs = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean applyAfterCommit = true;

  private KubeStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Opens the store in {@code namespace}; the CRDs must be installed (deploy/crds/). */
  public static KubeStore open(KubernetesClient client, String namespace) {
    KubeStore s = new KubeStore(client, namespace);
    try {
      s.requestsApi().list();
      s.grantsApi().list();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new StoreException("the AccessRequest/AccessGrant CRDs are not installed (kubectl apply -f deploy/crds/)", e);
      }
      throw new StoreException("cannot read the store in namespace " + namespace + ": " + message(e), e);
    }
    if (s.configMaps().withName(HEAD).get() == null) {
      try {
        s.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(HEAD).withNamespace(namespace)
            .addToLabels(MANAGED_BY, "gatehouse").endMetadata()
            .addToData(Head.empty().data()).build()).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) { // another replica created it first
          throw new StoreException("cannot create the store head: " + message(e), e);
        }
      }
    }
    return s;
  }

  /**
   * For tests of recovery: with {@code false}, commits are not applied afterwards, as when a replica
   * dies between its commit and the apply; whoever touches the store next applies them.
   */
  public void applyAfterCommit(boolean apply) {
    applyAfterCommit = apply;
  }

  public String namespace() {
    return namespace;
  }

  public KubernetesClient client() {
    return client;
  }

  private NonNamespaceOperation<AccessRequest, KubernetesResourceList<AccessRequest>, Resource<AccessRequest>> requestsApi() {
    MixedOperation<AccessRequest, KubernetesResourceList<AccessRequest>, Resource<AccessRequest>> op = client.resources(AccessRequest.class);
    return op.inNamespace(namespace);
  }

  private NonNamespaceOperation<AccessGrant, KubernetesResourceList<AccessGrant>, Resource<AccessGrant>> grantsApi() {
    MixedOperation<AccessGrant, KubernetesResourceList<AccessGrant>, Resource<AccessGrant>> op = client.resources(AccessGrant.class);
    return op.inNamespace(namespace);
  }

  private NonNamespaceOperation<ConfigMap, io.fabric8.kubernetes.api.model.ConfigMapList, Resource<ConfigMap>> configMaps() {
    return client.configMaps().inNamespace(namespace);
  }

  static String message(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
  }

  // ------------------------------------------------------------------ the head

  /** The commit point's content. {@code journal} is "" when nothing is waiting to be applied. */
  record Head(String resourceVersion, long commit, long grantsSeq, long auditSeq, String auditHash, long requestSeq,
      long reviewSeq, Map<String, String> meta, String journal) {
    static Head empty() {
      return new Head(null, 0, 0, 0, AuditChain.GENESIS, 0, 0, Map.of(), "");
    }

    static Head of(ConfigMap cm) {
      Map<String, String> d = cm.getData() == null ? Map.of() : cm.getData();
      Map<String, String> meta = new TreeMap<>();
      d.forEach((k, v) -> {
        if (k.startsWith("meta.")) {
          meta.put(k.substring(5), v);
        }
      });
      return new Head(cm.getMetadata().getResourceVersion(), num(d, "commit"), num(d, "grants_sequence"),
          num(d, "audit_seq"), d.getOrDefault("audit_hash", AuditChain.GENESIS), num(d, "request_seq"),
          num(d, "review_seq"), meta, d.getOrDefault("journal", ""));
    }

    private static long num(Map<String, String> d, String k) {
      return Long.parseLong(d.getOrDefault(k, "0"));
    }

    Map<String, String> data() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("commit", Long.toString(commit));
      d.put("grants_sequence", Long.toString(grantsSeq));
      d.put("audit_seq", Long.toString(auditSeq));
      d.put("audit_hash", auditHash);
      d.put("request_seq", Long.toString(requestSeq));
      d.put("review_seq", Long.toString(reviewSeq));
      meta.forEach((k, v) -> d.put("meta." + k, v));
      d.put("journal", journal);
      return d;
    }
  }

  private Head readHead() {
    ConfigMap cm = configMaps().withName(HEAD).get();
    if (cm == null) {
      throw new StoreException("the store head ConfigMap " + namespace + "/" + HEAD + " is missing");
    }
    return Head.of(cm);
  }

  /** Replaces the head at its resourceVersion; false when someone else changed it first. */
  private boolean casHead(Head expected, Head next) {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(HEAD).withNamespace(namespace)
        .withResourceVersion(expected.resourceVersion()).addToLabels(MANAGED_BY, "gatehouse").endMetadata()
        .addToData(next.data()).build();
    try {
      configMaps().resource(cm).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw new StoreException("store commit failed: " + message(e), e);
    }
  }

  /** The head with every committed journal applied to the objects. */
  private Head settledHead() {
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      Head h = readHead();
      if (h.journal().isEmpty()) {
        return h;
      }
      rollForward(h);
    }
    throw new StoreException("the store head keeps changing; giving up");
  }

  // ------------------------------------------------------------------ the journal

  /** What one commit writes: final object states (requests with all their votes), events, heads. */
  static final class Journal {
    public long commit;
    public List<AccessRequest> requests = new ArrayList<>();
    public List<AccessGrant> grants = new ArrayList<>();
    public List<AuditEvent> audit = new ArrayList<>();
    public List<SignedHead> heads = new ArrayList<>();
  }

  private void rollForward(Head h) {
    applyJournal(h.journal());
    Head cleared = new Head(h.resourceVersion(), h.commit(), h.grantsSeq(), h.auditSeq(), h.auditHash(), h.requestSeq(),
        h.reviewSeq(), h.meta(), "");
    casHead(h, cleared); // lost race: another replica cleared it (or committed after clearing): fine
  }

  /**
   * Applies one commit's journal (JSON, as the head holds it) to the objects. Idempotent, and an
   * object a later commit wrote is left as it is: this is what a replica that was slow applying
   * its own commit does after others moved on (public for recovery tests).
   */
  public void applyJournal(String journal) {
    Journal j;
    try {
      j = JSON.readValue(journal, Journal.class);
    } catch (java.io.IOException e) {
      throw new StoreException("a store journal is unreadable", e);
    }
    j.requests.forEach(r -> applyRequest(r, j.commit));
    j.grants.forEach(g -> applyGrant(g, j.commit));
    applyAudit(j.audit);
    applyHeads(j.heads);
  }

  private void applyRequest(AccessRequest want, long commit) {
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      try {
        Resource<AccessRequest> res = requestsApi().withName(want.getMetadata().getName());
        AccessRequest cur = res.get();
        if (cur == null) {
          AccessRequest fresh = copy(want, AccessRequest.class);
          fresh.setStatus(null);
          fresh.getMetadata().setResourceVersion(null);
          cur = requestsApi().resource(fresh).create();
        } else if (cur.getStatus() != null && cur.getStatus().commit >= commit) {
          return;
        }
        if (!want.getMetadata().getLabels().equals(cur.getMetadata().getLabels())) {
          cur.getMetadata().setLabels(want.getMetadata().getLabels());
          cur = requestsApi().resource(cur).update();
        }
        cur.setStatus(want.getStatus());
        requestsApi().resource(cur).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw new StoreException("cannot write AccessRequest " + want.getMetadata().getName() + ": " + message(e), e);
        }
      }
    }
    throw new StoreException("AccessRequest " + want.getMetadata().getName() + " keeps changing");
  }

  private void applyGrant(AccessGrant want, long commit) {
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      try {
        Resource<AccessGrant> res = grantsApi().withName(want.getMetadata().getName());
        AccessGrant cur = res.get();
        if (cur == null) {
          AccessGrant fresh = copy(want, AccessGrant.class);
          fresh.setStatus(null);
          fresh.getMetadata().setResourceVersion(null);
          cur = grantsApi().resource(fresh).create();
        } else if (cur.getStatus() != null && cur.getStatus().commit >= commit) {
          return;
        }
        if (!want.getMetadata().getLabels().equals(cur.getMetadata().getLabels())) {
          cur.getMetadata().setLabels(want.getMetadata().getLabels());
          cur = grantsApi().resource(cur).update();
        }
        cur.setStatus(want.getStatus());
        grantsApi().resource(cur).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw new StoreException("cannot write AccessGrant " + want.getMetadata().getName() + ": " + message(e), e);
        }
      }
    }
    throw new StoreException("AccessGrant " + want.getMetadata().getName() + " keeps changing");
  }

  private void applyAudit(List<AuditEvent> events) {
    Map<Long, Map<String, String>> byChunk = new TreeMap<>();
    for (AuditEvent e : events) {
      byChunk.computeIfAbsent(chunkOf(e.seq()), k -> new TreeMap<>()).put(key(e.seq()), Jsons.write(JSON.valueToTree(e)));
    }
    byChunk.forEach((chunk, entries) -> putAll(AUDIT_PREFIX + chunk, entries, false));
  }

  private void applyHeads(List<SignedHead> heads) {
    if (heads.isEmpty()) {
      return;
    }
    Map<String, String> entries = new TreeMap<>();
    heads.forEach(h -> entries.put(key(h.seq()), Jsons.write(JSON.valueToTree(h))));
    putAll(HEADS, entries, true);
  }

  /** Adds entries to a ConfigMap (created if missing), at its resourceVersion; keeps the newest when {@code trim}. */
  private void putAll(String name, Map<String, String> entries, boolean trim) {
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      try {
        ConfigMap cur = configMaps().withName(name).get();
        if (cur == null) {
          configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
              .addToLabels(MANAGED_BY, "gatehouse").endMetadata().addToData(entries).build()).create();
          return;
        }
        Map<String, String> data = new TreeMap<>(cur.getData() == null ? Map.of() : cur.getData());
        if (data.entrySet().containsAll(entries.entrySet())) {
          return;
        }
        data.putAll(entries);
        while (trim && data.size() > KEEP_HEADS) {
          data.remove(((TreeMap<String, String>) data).firstKey());
        }
        cur.setData(data);
        configMaps().resource(cur).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw new StoreException("cannot write ConfigMap " + name + ": " + message(e), e);
        }
      }
    }
    throw new StoreException("ConfigMap " + name + " keeps changing");
  }

  static long chunkOf(long seq) {
    return (seq - 1) / CHUNK;
  }

  static String key(long seq) {
    return String.format("%012d", seq);
  }

  private static <T> T copy(T o, Class<T> type) {
    return JSON.convertValue(o, type);
  }

  // ------------------------------------------------------------------ transactions

  @Override
  public <T> T write(Function<Tx, T> work) {
    local.lock(); // replicas contend through the head; threads of one replica take turns here
    try {
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        Head head = settledHead();
        KTx tx = new KTx(head);
        T out = work.apply(tx);
        if (tx.empty()) {
          return out;
        }
        Head next = tx.nextHead();
        if (casHead(head, next)) {
          if (!applyAfterCommit) {
            return out;
          }
          try {
            rollForward(readHead());
          } catch (RuntimeException e) {
            // Committed: whoever comes next applies the journal.
            LOG.log(Level.WARNING, "applying commit " + next.commit() + " failed; it will be retried: " + e.getMessage());
          }
          return out;
        }
        try {
          Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted", e);
        }
      }
      throw new StoreException("store write gave up after " + MAX_ATTEMPTS + " conflicting attempts");
    } finally {
      local.unlock();
    }
  }

  /** One transaction's buffered writes over the objects as they were when it started. */
  private final class KTx implements Tx {
    final Head head;
    final Map<String, RequestRecord> requests = new LinkedHashMap<>();
    final Map<String, List<ReviewRecord>> reviews = new LinkedHashMap<>();
    final Map<String, Long> newRequestSeqs = new HashMap<>();
    final Map<String, GrantRecord> grants = new LinkedHashMap<>();
    final List<AuditEvent> events = new ArrayList<>();
    final List<SignedHead> heads = new ArrayList<>();
    final Map<String, String> meta;
    long grantsSeq;
    long requestSeq;
    long reviewSeq;
    long auditSeq;
    String auditHash;

    KTx(Head h) {
      head = h;
      meta = new TreeMap<>(h.meta());
      grantsSeq = h.grantsSeq();
      requestSeq = h.requestSeq();
      reviewSeq = h.reviewSeq();
      auditSeq = h.auditSeq();
      auditHash = h.auditHash();
    }

    boolean empty() {
      return requests.isEmpty() && reviews.isEmpty() && grants.isEmpty() && events.isEmpty() && heads.isEmpty()
          && grantsSeq == head.grantsSeq() && meta.equals(head.meta());
    }

    @Override
    public void insertRequest(RequestRecord r) {
      if (requests.containsKey(r.id()) || KubeStore.this.request(r.id()).isPresent()) {
        throw new StoreException("request " + r.id() + " exists");
      }
      newRequestSeqs.put(r.id(), ++requestSeq);
      requests.put(r.id(), r);
      reviews.put(r.id(), new ArrayList<>());
    }

    @Override
    public void updateRequest(RequestRecord r) {
      requests.put(r.id(), r);
    }

    @Override
    public void insertReview(ReviewRecord r) {
      List<ReviewRecord> list = reviews.computeIfAbsent(r.requestId(), id -> new ArrayList<>(KubeStore.this.reviews(id)));
      if (list.stream().anyMatch(p -> p.reviewerKey().equals(r.reviewerKey()))) {
        throw new DuplicateVoteException(r.reviewer() + " already reviewed request " + r.requestId());
      }
      list.add(new ReviewRecord(++reviewSeq, r.requestId(), r.reviewer(), r.reviewerKey(), r.vote(), r.comment(), r.at(),
          r.doc(), r.decision()));
    }

    @Override
    public void insertGrant(GrantRecord g) {
      if (grants.containsKey(g.id()) || KubeStore.this.grant(g.id()).isPresent()) {
        throw new StoreException("grant " + g.id() + " exists");
      }
      grants.put(g.id(), g);
    }

    @Override
    public void updateGrant(GrantRecord g) {
      grants.put(g.id(), g);
    }

    @Override
    public AuditEvent audit(Instant at, String type, String actor, String subject, String dataJson) {
      long seq = ++auditSeq;
      String atText = Jsons.timeMillis(at);
      String a = actor == null ? "" : actor;
      String sub = subject == null ? "" : subject;
      String data = dataJson == null ? "{}" : dataJson;
      String hash = AuditChain.hash(auditHash, seq, atText, type, a, sub, data);
      AuditEvent e = new AuditEvent(seq, atText, type, a, sub, data, auditHash, hash);
      auditHash = hash;
      events.add(e);
      return e;
    }

    @Override
    public void insertHead(SignedHead h) {
      heads.add(h);
    }

    @Override
    public long bumpGrantsSequence() {
      return ++grantsSeq;
    }

    @Override
    public void putMeta(String key, String value) {
      meta.put(key, value);
    }

    @Override
    public Store reads() {
      return new Overlay(this);
    }

    Head nextHead() {
      long commit = head.commit() + 1;
      Journal j = new Journal();
      j.commit = commit;
      java.util.Set<String> touched = new java.util.LinkedHashSet<>(requests.keySet());
      touched.addAll(reviews.keySet());
      for (String id : touched) {
        RequestRecord r = requests.containsKey(id) ? requests.get(id) : KubeStore.this.request(id)
            .orElseThrow(() -> new StoreException("a vote on request " + id + ", which does not exist"));
        List<ReviewRecord> votes = reviews.containsKey(id) ? reviews.get(id) : KubeStore.this.reviews(id);
        long seq = newRequestSeqs.containsKey(id) ? newRequestSeqs.get(id) : seqOf(id);
        j.requests.add(toResource(r, votes, seq, commit));
      }
      grants.values().forEach(g -> j.grants.add(toResource(g, commit)));
      j.audit.addAll(events);
      j.heads.addAll(heads);
      return new Head(head.resourceVersion(), commit, grantsSeq, auditSeq, auditHash, requestSeq, reviewSeq, meta,
          Jsons.write(JSON.valueToTree(j)));
    }
  }

  /** Reads inside a transaction: its own writes over the store. */
  private final class Overlay implements Store {
    final KTx tx;

    Overlay(KTx tx) {
      this.tx = tx;
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
      throw new IllegalStateException("no nested transactions");
    }

    @Override
    public Optional<RequestRecord> request(String id) {
      return tx.requests.containsKey(id) ? Optional.of(tx.requests.get(id)) : KubeStore.this.request(id);
    }

    @Override
    public List<RequestRecord> requests(RequestQuery q) {
      Map<String, RequestRecord> all = new LinkedHashMap<>();
      KubeStore.this.requests(new RequestQuery(null, null, false, Integer.MAX_VALUE)).forEach(r -> all.put(r.id(), r));
      all.putAll(tx.requests);
      return filterRequests(all.values(), q, id -> tx.newRequestSeqs.containsKey(id) ? tx.newRequestSeqs.get(id) : seqOf(id));
    }

    @Override
    public List<ReviewRecord> reviews(String requestId) {
      return tx.reviews.containsKey(requestId) ? List.copyOf(tx.reviews.get(requestId)) : KubeStore.this.reviews(requestId);
    }

    @Override
    public Optional<GrantRecord> grant(String id) {
      return tx.grants.containsKey(id) ? Optional.of(tx.grants.get(id)) : KubeStore.this.grant(id);
    }

    @Override
    public List<GrantRecord> grants(GrantQuery q) {
      Map<String, GrantRecord> all = new TreeMap<>();
      KubeStore.this.grants(new GrantQuery(null, null, null, Integer.MAX_VALUE)).forEach(g -> all.put(g.id(), g));
      all.putAll(tx.grants);
      return filterGrants(all.values(), q);
    }

    @Override
    public BundleRows bundleRows() {
      throw new IllegalStateException("the bundle is read outside transactions");
    }

    @Override
    public List<AuditEvent> audit(long from, int limit) {
      List<AuditEvent> out = new ArrayList<>(KubeStore.this.audit(from, limit));
      tx.events.stream().filter(e -> e.seq() >= from).forEach(out::add);
      return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public Optional<AuditEvent> lastAudit() {
      return tx.events.isEmpty() ? KubeStore.this.lastAudit() : Optional.of(tx.events.get(tx.events.size() - 1));
    }

    @Override
    public List<SignedHead> heads(int limit) {
      return KubeStore.this.heads(limit);
    }

    @Override
    public long grantsSequence() {
      return tx.grantsSeq;
    }

    @Override
    public Optional<String> meta(String key) {
      return Optional.ofNullable(tx.meta.get(key));
    }

    @Override
    public void close() {}
  }

  // ------------------------------------------------------------------ records ↔ resources

  private long seqOf(String requestId) {
    Long s = requestSeqs.get(requestId);
    if (s == null) {
      AccessRequest r = requestsApi().withName(requestId).get();
      if (r == null) {
        return 0L; // not filed (yet): nothing to remember
      }
      s = r.getSpec().seq;
      requestSeqs.put(requestId, s);
    }
    return s;
  }

  static AccessRequest toResource(RequestRecord r, List<ReviewRecord> votes, long seq, long commit) {
    AccessRequest cr = new AccessRequest();
    cr.getMetadata().setName(r.id());
    cr.getMetadata().setLabels(new TreeMap<>(Map.of(STATE_LABEL, r.state().wire(), MANAGED_BY, "gatehouse")));
    AccessRequest.Spec s = cr.getSpec();
    s.requester = r.requester();
    s.seq = seq;
    s.createdAt = r.createdAt().toString();
    s.document = Jsons.write(r.doc());
    s.decision = Jsons.write(r.decision());
    s.extendsGrant = r.extendsGrant();
    s.breakGlass = r.breakGlass();
    s.policyRevision = r.policyRevision();
    AccessRequest.Status st = cr.getStatus();
    st.state = r.state().wire();
    st.updatedAt = r.updatedAt().toString();
    st.grantId = r.grantId();
    st.needsReview = r.needsReview();
    st.closedBy = r.closedBy();
    st.document = Jsons.write(r.doc());
    st.commit = commit;
    for (ReviewRecord v : votes) {
      AccessRequest.Review rv = new AccessRequest.Review();
      rv.id = v.id();
      rv.reviewer = v.reviewer();
      rv.reviewerKey = v.reviewerKey();
      rv.vote = v.vote();
      rv.comment = v.comment();
      rv.at = v.at().toString();
      rv.document = Jsons.write(v.doc());
      rv.decision = Jsons.write(v.decision());
      st.reviews.add(rv);
    }
    return cr;
  }

  static AccessGrant toResource(GrantRecord g, long commit) {
    AccessGrant cr = new AccessGrant();
    cr.getMetadata().setName(g.id());
    cr.getMetadata().setLabels(new TreeMap<>(Map.of(STATE_LABEL, g.state().wire(), MANAGED_BY, "gatehouse")));
    AccessGrant.Spec s = cr.getSpec();
    s.requestId = g.requestId();
    s.subject = g.subject();
    s.notBefore = g.notBefore().toString();
    s.expiresAt = g.expiresAt().toString();
    s.breakGlass = g.breakGlass();
    s.createdAt = g.createdAt().toString();
    AccessGrant.Status st = cr.getStatus();
    st.state = g.state().wire();
    st.updatedAt = g.updatedAt().toString();
    st.document = Jsons.write(g.doc());
    st.jws = g.jws();
    st.commit = commit;
    return cr;
  }

  private RequestRecord fromResource(AccessRequest cr) {
    AccessRequest.Spec s = cr.getSpec();
    AccessRequest.Status st = cr.getStatus();
    requestSeqs.put(cr.getMetadata().getName(), s.seq);
    String doc = st.document != null ? st.document : s.document;
    return new RequestRecord(cr.getMetadata().getName(), s.requester, obj(doc), RequestState.parse(st.state), obj(s.decision),
        Instant.parse(s.createdAt), Instant.parse(st.updatedAt), st.grantId, s.extendsGrant, s.breakGlass, st.needsReview,
        s.policyRevision, st.closedBy);
  }

  private static List<ReviewRecord> votes(AccessRequest cr) {
    List<ReviewRecord> out = new ArrayList<>();
    if (cr.getStatus() != null && cr.getStatus().reviews != null) {
      for (AccessRequest.Review v : cr.getStatus().reviews) {
        out.add(new ReviewRecord(v.id, cr.getMetadata().getName(), v.reviewer, v.reviewerKey, v.vote, v.comment,
            Instant.parse(v.at), obj(v.document), obj(v.decision)));
      }
    }
    out.sort(Comparator.comparingLong(ReviewRecord::id));
    return out;
  }

  private static GrantRecord fromResource(AccessGrant cr) {
    AccessGrant.Spec s = cr.getSpec();
    AccessGrant.Status st = cr.getStatus();
    return new GrantRecord(cr.getMetadata().getName(), s.requestId, s.subject, obj(st.document), st.jws,
        GrantState.valueOf(st.state.toUpperCase(java.util.Locale.ROOT)), Instant.parse(s.notBefore),
        Instant.parse(s.expiresAt), s.breakGlass, Instant.parse(s.createdAt), Instant.parse(st.updatedAt));
  }

  private static ObjectNode obj(String json) {
    return json == null ? null : (ObjectNode) Jsons.parse(json);
  }

  /** Objects whose status was never written (a create whose status write has not happened yet) are not there yet. */
  private static boolean complete(AccessRequest cr) {
    return cr.getStatus() != null && cr.getStatus().state != null;
  }

  private static boolean complete(AccessGrant cr) {
    return cr.getStatus() != null && cr.getStatus().state != null;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<RequestRecord> request(String id) {
    AccessRequest cr = requestsApi().withName(id).get();
    return cr == null || !complete(cr) ? Optional.empty() : Optional.of(fromResource(cr));
  }

  @Override
  public List<RequestRecord> requests(RequestQuery q) {
    List<RequestRecord> all = new ArrayList<>();
    for (AccessRequest cr : requestsApi().list().getItems()) {
      if (complete(cr)) {
        all.add(fromResource(cr));
      }
    }
    return filterRequests(all, q, this::seqOf);
  }

  private static List<RequestRecord> filterRequests(java.util.Collection<RequestRecord> all, RequestQuery q,
      Function<String, Long> seq) {
    return all.stream()
        .filter(r -> q.requester() == null || q.requester().equals(r.requester()))
        .filter(r -> q.state() == null || q.state() == r.state())
        .filter(r -> !q.needsReview() || r.needsReview())
        .sorted(Comparator.comparing((RequestRecord r) -> seq.apply(r.id())).reversed())
        .limit(q.limit()).toList();
  }

  @Override
  public List<ReviewRecord> reviews(String requestId) {
    AccessRequest cr = requestsApi().withName(requestId).get();
    return cr == null ? List.of() : votes(cr);
  }

  @Override
  public Optional<GrantRecord> grant(String id) {
    AccessGrant cr = grantsApi().withName(id).get();
    return cr == null || !complete(cr) ? Optional.empty() : Optional.of(fromResource(cr));
  }

  @Override
  public List<GrantRecord> grants(GrantQuery q) {
    List<GrantRecord> all = new ArrayList<>();
    for (AccessGrant cr : grantsApi().list().getItems()) {
      if (complete(cr)) {
        all.add(fromResource(cr));
      }
    }
    return filterGrants(all, q);
  }

  private static List<GrantRecord> filterGrants(java.util.Collection<GrantRecord> all, GrantQuery q) {
    return all.stream()
        .filter(g -> q.subject() == null || q.subject().equals(g.subject()))
        .filter(g -> q.states() == null || q.states().isEmpty() || q.states().contains(g.state()))
        .filter(g -> q.expiresAfter() == null || g.expiresAt().isAfter(q.expiresAfter()))
        .sorted(Comparator.comparing(GrantRecord::id))
        .limit(q.limit()).toList();
  }

  @Override
  public BundleRows bundleRows() {
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      Head before = settledHead();
      List<BundleRow> rows = new ArrayList<>();
      for (AccessGrant cr : grantsApi().withLabelIn(STATE_LABEL, "scheduled", "active", "revoked").list().getItems()) {
        if (complete(cr)) {
          rows.add(new BundleRow(cr.getMetadata().getName(), cr.getStatus().updatedAt, cr.getStatus().document,
              cr.getStatus().jws));
        }
      }
      rows.sort(Comparator.comparing(BundleRow::id));
      Head after = readHead();
      if (after.commit() == before.commit()) {
        return new BundleRows(before.grantsSeq(), rows);
      }
    }
    throw new StoreException("the store keeps changing while the grants bundle is read");
  }

  @Override
  public List<AuditEvent> audit(long from, int limit) {
    Head h = settledHead();
    List<AuditEvent> out = new ArrayList<>();
    long seq = Math.max(1, from);
    while (seq <= h.auditSeq() && out.size() < limit) {
      ConfigMap cm = configMaps().withName(AUDIT_PREFIX + chunkOf(seq)).get();
      if (cm == null || cm.getData() == null) {
        throw new StoreException("audit chunk " + AUDIT_PREFIX + chunkOf(seq) + " is missing");
      }
      long end = (chunkOf(seq) + 1) * CHUNK;
      for (; seq <= end && seq <= h.auditSeq() && out.size() < limit; seq++) {
        String e = cm.getData().get(key(seq));
        if (e == null) {
          throw new StoreException("audit event " + seq + " is missing from " + cm.getMetadata().getName());
        }
        out.add(readEvent(e));
      }
    }
    return out;
  }

  private static AuditEvent readEvent(String json) {
    try {
      return JSON.readValue(json, AuditEvent.class);
    } catch (java.io.IOException e) {
      throw new StoreException("unreadable audit event", e);
    }
  }

  @Override
  public Optional<AuditEvent> lastAudit() {
    Head h = settledHead();
    if (h.auditSeq() == 0) {
      return Optional.empty();
    }
    List<AuditEvent> e = audit(h.auditSeq(), 1);
    return e.isEmpty() ? Optional.empty() : Optional.of(e.get(0));
  }

  @Override
  public List<SignedHead> heads(int limit) {
    ConfigMap cm = configMaps().withName(HEADS).get();
    if (cm == null || cm.getData() == null) {
      return List.of();
    }
    List<SignedHead> out = new ArrayList<>();
    new TreeMap<>(cm.getData()).descendingMap().values().stream().limit(limit).forEach(v -> {
      try {
        out.add(JSON.readValue(v, SignedHead.class));
      } catch (java.io.IOException e) {
        throw new StoreException("unreadable signed head", e);
      }
    });
    return out;
  }

  @Override
  public long grantsSequence() {
    return readHead().grantsSeq();
  }

  @Override
  public Optional<String> meta(String key) {
    return Optional.ofNullable(readHead().meta().get(key));
  }

  @Override
  public void close() {
    // the client belongs to the caller
  }

}

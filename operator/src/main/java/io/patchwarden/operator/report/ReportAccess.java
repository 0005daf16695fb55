package io.patchwarden.operator.report;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Who may read the report. The report lists inventory, so by default a caller presents a Kubernetes
 * bearer token (a ServiceAccount token from {@code kubectl create token}, or a user's) and sees the
 * namespaces in which Kubernetes RBAC lets them {@code get patchpolicies}: TokenReview says who
 * they are, SubjectAccessReview what they may read. No second credential store to rotate, and an
 * MSP grants a customer exactly their namespaces with an ordinary RoleBinding.
 */
public interface ReportAccess {

  /**
   * @param authenticated false: answer 401 with {@code problem}
   * @param mayRead the namespaces the caller may read
   */
  record Decision(boolean authenticated, String user, Predicate<String> mayRead, String problem) {
    static Decision denied(String problem) {
      return new Decision(false, null, ns -> false, problem);
    }
  }

  /**
   * @param authorization the Authorization header, or null
   */
  Decision decide(String authorization);

  /** Everyone reads everything: for development on a laptop only. */
  static ReportAccess open() {
    return authorization -> new Decision(true, "anonymous", ns -> true, null);
  }

  /** TokenReview + SubjectAccessReview, each answer cached for a minute. */
  static ReportAccess kubernetes(KubernetesClient client, Clock clock) {
    return new KubernetesAccess(client, clock);
  }

  /** The default access check. */
  final class KubernetesAccess implements ReportAccess {
    static final Duration CACHE = Duration.ofMinutes(1);
    private static final int MAX_CACHED = 10_000;

    private record Identity(
        String user,
        String uid,
        List<String> groups,
        Map<String, List<String>> extra,
        Instant until) {}

    private record Verdict(boolean allowed, Instant until) {}

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

    KubernetesAccess(KubernetesClient client, Clock clock) {
      this.client = client;
      this.clock = clock;
    }

    @Override
    public Decision decide(String authorization) {
      if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return Decision.denied("send a Kubernetes bearer token: Authorization: Bearer <token>");
      }
      String token = authorization.substring(7).trim();
      if (token.isEmpty()) {
        return Decision.denied("the bearer token is empty");
      }
      Identity identity = identify(token);
      if (identity == null) {
        return Decision.denied("the bearer token was not accepted by the Kubernetes API");
      }
      return new Decision(true, identity.user(), ns -> mayRead(identity, ns), null);
    }

    private Identity identify(String token) {
      Instant now = clock.instant();
      Identity cached = identities.get(token);
      if (cached != null && now.isBefore(cached.until())) {
        return cached;
      }
      TokenReview review =
          client
              .authentication()
              .v1()
              .tokenReviews()
              .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
      if (review.getStatus() == null
          || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
          || review.getStatus().getUser() == null) {
        return null;
      }
      var user = review.getStatus().getUser();
      Identity identity =
          new Identity(
              user.getUsername(),
              user.getUid(),
              user.getGroups() == null ? List.of() : List.copyOf(user.getGroups()),
              user.getExtra() == null ? Map.of() : Map.copyOf(user.getExtra()),
              now.plus(CACHE));
      bounded(identities);
      identities.put(token, identity);
      return identity;
    }

    private boolean mayRead(Identity identity, String namespace) {
      Instant now = clock.instant();
      // The whole identity: a down-scoped token of the same user must not reuse a wider verdict.
      String key =
          identity.user()
              + "\u0000"
              + identity.uid()
              + "\u0000"
              + identity.groups()
              + "\u0000"
              + new java.util.TreeMap<>(identity.extra())
              + "\u0000"
              + namespace;
      Verdict cached = verdicts.get(key);
      if (cached != null && now.isBefore(cached.until())) {
        return cached.allowed();
      }
      SubjectAccessReview review =
          client
              .authorization()
              .v1()
              .subjectAccessReview()
              .create(
                  new SubjectAccessReviewBuilder()
                      .withNewSpec()
                      .withUser(identity.user())
                      .withUid(identity.uid())
                      .withGroups(identity.groups())
                      .withExtra(identity.extra())
                      .withNewResourceAttributes()
                      .withGroup("patchwarden.io")
                      .withResource("patchpolicies")
                      .withVerb("get")
                      .withNamespace(namespace)
                      .endResourceAttributes()
                      .endSpec()
                      .build());
      boolean allowed =
          review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
      bounded(verdicts);
      verdicts.put(key, new Verdict(allowed, now.plus(CACHE)));
      return allowed;
    }

    /** Caches stay small whatever callers send: past the limit they start over. */
    private static void bounded(Map<?, ?> cache) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
    }
  }
}

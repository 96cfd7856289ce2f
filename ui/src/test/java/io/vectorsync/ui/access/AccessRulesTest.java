package io.vectorsync.ui.access;

import io.helidon.http.Method;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The access policy's matching, a caller's permissions, and the token bucket, without a server. */
class AccessRulesTest {

    private final AccessPolicy policy = AccessPolicy.standard();

    @Test
    void aRequestFindsItsRuleAndTheTenantItsPathNames() {
        var batch = policy.match(Method.POST, "/v1/tenants/acme/documents:batch").orElseThrow();
        assertThat(batch.rule().need()).isEqualTo(AccessPolicy.Need.WRITE_TENANT);
        assertThat(batch.tenant()).isEqualTo("acme");
        var read = policy.match(Method.GET, "/v1/tenants/globex/documents/a:b@c/history").orElseThrow();
        assertThat(read.rule().need()).isEqualTo(AccessPolicy.Need.READ_TENANT);
        assertThat(read.tenant()).isEqualTo("globex");
        assertThat(policy.match(Method.GET, "/admin/").orElseThrow().rule().need()).isEqualTo(AccessPolicy.Need.PUBLIC);
        assertThat(policy.match(Method.POST, "/v1/admin/processors/encoder/replay").orElseThrow().rule().action())
                .isEqualTo("replay");
        // a method the route does not have, or no route at all: no rule (the door then asks for a key)
        assertThat(policy.match(Method.PATCH, "/v1/tenants/acme/documents/x")).isEmpty();
        assertThat(policy.match(Method.GET, "/v1/tenants")).isEmpty();
    }

    @Test
    void rolesAndTenantScopesDecide() {
        Caller reader = new Caller("r", "reader", Role.READER, Set.of("acme"), false);
        Caller writer = new Caller("w", "writer", Role.WRITER, Set.of("acme", "globex"), false);
        Caller everywhere = new Caller("e", "all tenants", Role.WRITER, Set.of(Caller.ALL_TENANTS), false);
        assertThat(reader.may(AccessPolicy.Need.READ_TENANT, "acme")).isTrue();
        assertThat(reader.may(AccessPolicy.Need.READ_TENANT, "globex")).isFalse();
        assertThat(reader.may(AccessPolicy.Need.WRITE_TENANT, "acme")).isFalse();
        assertThat(writer.may(AccessPolicy.Need.WRITE_TENANT, "globex")).isTrue();
        assertThat(writer.may(AccessPolicy.Need.ADMIN, null)).isFalse();
        assertThat(everywhere.may(AccessPolicy.Need.WRITE_TENANT, "anyone")).isTrue();
        assertThat(Caller.LOCAL.may(AccessPolicy.Need.ADMIN, null)).isTrue();
    }

    @Test
    void routesAndRulesAreComparedBothWays() {
        List<String> routes = policy.rules().stream().map(r -> r.method().text() + " " + r.pattern()).toList();
        assertThat(policy.compare(routes).none()).isTrue();
        var extra = policy.compare(java.util.stream.Stream.concat(routes.stream().skip(1),
                java.util.stream.Stream.of("GET /v1/new-thing")).toList());
        assertThat(extra.routesWithoutRule()).containsExactly("GET /v1/new-thing");
        assertThat(extra.rulesWithoutRoute()).containsExactly(routes.getFirst());
    }

    @Test
    void aTokenBucketAllowsItsRateWithABurstOfOneSecondAndSaysHowLongToWait() {
        long second = 1_000_000_000L;
        TokenBucket bucket = new TokenBucket(2, 0);
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isZero();
        long wait = bucket.take(0);
        assertThat(wait).isEqualTo(second / 2);
        assertThat(bucket.take(second / 2)).isZero();
        assertThat(bucket.take(second / 2)).isPositive();
        // idle for long, it saves up one second's worth, no more
        assertThat(bucket.take(100 * second)).isZero();
        assertThat(bucket.take(100 * second)).isZero();
        assertThat(bucket.take(100 * second)).isPositive();
        TokenBucket slow = new TokenBucket(0.5, 0);
        assertThat(slow.take(0)).isZero();
        assertThat(slow.take(0)).isEqualTo(2 * second);
    }
}

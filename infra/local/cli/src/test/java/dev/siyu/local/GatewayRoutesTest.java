package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's route table as API Gateway matches it: exact paths, {proxy+} below a prefix, {name} one segment. */
class GatewayRoutesTest {
    final List<Gateway.Route> routes = new Gateway.Functions(null, null, null, null).routes();

    @Test
    void theAdminRoutesAreServedOnlyWhenTheScoringFunctionRuns() {
        assertThat(Gateway.route(routes, "POST", "/admin/scoring/train")).isNull();
    }

    @Test
    void aPathParameterTakesOneDecodedSegment() {
        Gateway.Route score = new Gateway.Route("POST", "/admin/customers/{customerId}/score", null);
        assertThat(score.matches("POST", "/admin/customers/wx-wm001/score")).isTrue();
        assertThat(score.parameters("/admin/customers/wx-wm%2B1%20a/score")).isEqualTo(Map.of("customerId", "wx-wm+1 a"));
        assertThat(score.parameters("/admin/customers/a+b/score")).isEqualTo(Map.of("customerId", "a+b"));
        assertThat(score.matches("POST", "/admin/customers//score")).isFalse();
        assertThat(score.matches("POST", "/admin/customers/a/b/score")).isFalse();
        assertThat(score.matches("GET", "/admin/customers/wx-wm001/score")).isFalse();
        assertThat(score.matches("POST", "/admin/customers/wx-wm001/scores")).isFalse();
    }

    @Test
    void proxyAndExactRoutesStillMatchAsBefore() {
        Gateway.Route proxy = new Gateway.Route("ANY", "/miniapp/{proxy+}", null);
        assertThat(proxy.matches("GET", "/miniapp/me")).isTrue();
        assertThat(proxy.matches("GET", "/miniapp/")).isFalse();
        Gateway.Route exact = new Gateway.Route("POST", "/ingest/orders", null);
        assertThat(exact.matches("POST", "/ingest/orders")).isTrue();
        assertThat(exact.matches("POST", "/ingest/orders/1")).isFalse();
    }
}

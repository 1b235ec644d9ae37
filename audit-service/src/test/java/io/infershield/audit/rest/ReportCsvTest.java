package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.TestEvents;
import io.infershield.events.EventEnvelope;
import io.infershield.events.Topics;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infershield.audit.ReportEvents.event;
import static io.infershield.audit.ReportEvents.finding;
import static io.infershield.audit.ReportEvents.policy;
import static io.infershield.audit.ReportEvents.request;
import static io.infershield.audit.TestEvents.awaitEvents;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReportCsvTest {

    @InjectInfra
    Kafka kafka;

    private TestEvents events;

    @BeforeEach
    void connect() {
        events = new TestEvents(kafka);
    }

    @AfterEach
    void disconnect() {
        events.close();
    }

    /**
     * Every part in its section, quoted per RFC 4180, and stored text that a spreadsheet would run as a formula
     * (a leading =, @, + or -) made inert with a leading apostrophe.
     */
    @Test
    void csvHasOneSectionPerPartQuotedAndSafeFromFormulaInjection() {
        String subject = "=SUM(1,2) \"x\" " + UUID.randomUUID();
        String tenant = "acme, \"inc\" " + UUID.randomUUID();
        EventEnvelope<JsonNode> blocked = event("proxy.request.completed", tenant, subject,
                ReportApiTest.at(1), request("/v1/chat/completions", "openai", "=1+2", 400, "blocked_by_policy", "block",
                        null, null, false,
                        finding("secret", "private_key", 99, "block", "@cmd|' /C calc'!A0\nline \"two\", three",
                                "00112233aabbccdd", "/messages/0/content"),
                        finding("pii", "phone", 40, "alert", "+1 555…[REDACTED:phone]", "-123", "/messages/0/content")));
        EventEnvelope<JsonNode> change = event("proxy.policy.changed", tenant, subject, ReportApiTest.at(2),
                policy("-devs", "secret", 70, "block", null, null));
        EventEnvelope<JsonNode> withdrawal = event("proxy.tool_pinning.changed", tenant, subject, ReportApiTest.at(3),
                ReportApiTest.jsonBody("entry", "=evil,tool@sha256:00ff", "approved", false, "mode", null,
                        "previousMode", null));
        events.send(Topics.PROXY_EVENTS, blocked);
        events.send(Topics.PROXY_EVENTS, change);
        events.send(Topics.PROXY_EVENTS, withdrawal);
        awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == 3);

        Response response = given().auth().oauth2(TestEvents.token("carol", "ciso"))
                .queryParam("format", "csv").queryParam("from", "2025-03-01").queryParam("to", "2025-03-31")
                .when().get("/api/reports/users/{subject}", subject)
                .then().statusCode(200).contentType("text/csv")
                .extract().response();

        String csv = response.asString();
        Matcher generated = Pattern.compile("\r\nreport,generated_at,(\\S+)\r\n").matcher(csv);
        assertTrue(generated.find(), csv);
        String requestId = blocked.body().get("requestId").asText();
        String q = "\"";
        String csvSubject = q + "'" + subject.replace(q, q + q) + q;
        String csvTenant = q + tenant.replace(q, q + q) + q;
        String expected = String.join("\r\n",
                "section,name,value",
                "report,subject," + csvSubject,
                "report,tenants," + csvTenant,
                "report,from,2025-03-01T00:00:00Z",
                "report,to_exclusive,2025-04-01T00:00:00Z",
                "report,generated_at," + generated.group(1),
                "risk,high_score_threshold,80",
                "risk,requests,1",
                "risk,blocked_requests,1",
                "risk,high_score_findings,1",
                "risk,risky_requests,1",
                "risk,blocked_per_1000_requests,1000.0",
                "risk,high_score_findings_per_1000_requests,1000.0",
                "risk,risky_per_1000_requests,1000.0",
                "risk,bruteforce_blocked,0",
                "risk,refresh_token_reuse,0",
                "risk,vault_tampered,0",
                "activity,requests,1",
                "activity,decision_allow,0",
                "activity,decision_redact,0",
                "activity,decision_block,1",
                "activity,decision_none,0",
                "activity,errors,1",
                "activity,input_tokens,0",
                "activity,output_tokens,0",
                "activity,estimated_usage_requests,0",
                "activity,first_seen," + blocked.occurredAt(),
                "activity,last_seen," + withdrawal.occurredAt(),
                "findings,total,2",
                "findings,high_score,1",
                "credentials,devices_approved,0",
                "credentials,devices_denied,0",
                "credentials,devices_expired,0",
                "credentials,issued,0",
                "credentials,refreshed,0",
                "credentials,revoked,0",
                "credentials,bruteforce_blocked,0",
                "policy_changes,total,1",
                "tool_pinning_changes,total,1",
                "",
                "section,endpoint,upstream,model,requests,blocked,errors,input_tokens,output_tokens",
                "endpoint,/v1/chat/completions,openai,'=1+2,1,1,1,0,0",
                "",
                "section,error_code,requests",
                "error,blocked_by_policy,1",
                "",
                "section,category,type,count,high_score,blocked,redacted,max_score,last_seen",
                "finding_type,pii,phone,1,0,0,0,40," + blocked.occurredAt(),
                "finding_type,secret,private_key,1,1,1,0,99," + blocked.occurredAt(),
                "",
                "section,occurred_at,tenant,request_id,category,type,direction,score,action,location,excerpt,hash",
                "finding," + blocked.occurredAt() + "," + csvTenant + "," + requestId
                        + ",secret,private_key,request,99,block,/messages/0/content,"
                        + "\"'@cmd|' /C calc'!A0\nline \"\"two\"\", three\",00112233aabbccdd",
                "finding," + blocked.occurredAt() + "," + csvTenant + "," + requestId
                        + ",pii,phone,request,40,alert,/messages/0/content,'+1 555…[REDACTED:phone],'-123",
                "",
                "section,provider,started,linked,denied,expired,failed,cancelled,deleted",
                "",
                "section,provider,stored,reads,refreshes,rotations,revocations,links_broken,refresh_failures,"
                        + "unsuccessful,tampered",
                "",
                "section,occurred_at,tenant,group,category,threshold,action,previous_threshold,previous_action",
                "policy_change," + change.occurredAt() + "," + csvTenant + ",'-devs,secret,70,block,,",
                "",
                "section,occurred_at,tenant,entry,approved,mode,previous_mode",
                "tool_pinning_change," + withdrawal.occurredAt() + "," + csvTenant + ",\"'=evil,tool@sha256:00ff\","
                        + "false,,",
                "",
                "section,type,count",
                "event_type,proxy.policy.changed,1",
                "event_type,proxy.request.completed,1",
                "event_type,proxy.tool_pinning.changed,1",
                "");
        assertEquals(expected, csv);
        // The file name keeps only letters, digits, dot, dash and underscore of the subject.
        assertEquals("attachment; filename=\"infershield-report-_SUM_1_2___x__" + subject.substring(14)
                        + "-20250301T000000Z-20250401T000000Z.csv\"",
                response.header("Content-Disposition"));
        assertTrue(Instant.parse(generated.group(1)).isAfter(Instant.now().minusSeconds(60)));
    }
}

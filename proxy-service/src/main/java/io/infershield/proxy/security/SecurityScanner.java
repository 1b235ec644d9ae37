package io.infershield.proxy.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The security layer's entry point: every detector over one text. Pure Java, thread-safe and stateless per call,
 * so the gateway can share one instance; linear in the text length.
 */
public final class SecurityScanner {

    private final SecretDetector secrets;
    private final PiiDetector pii;
    private final InjectionDetector injection;
    private final ExfiltrationDetector exfiltration;
    private final ToolPoisoningDetector tools = new ToolPoisoningDetector();

    /** With the shipped model and no trusted hosts for exfiltration checks. */
    public SecurityScanner() {
        this(InjectionModel.load(), Set.of());
    }

    /**
     * @param model        the injection model, or null for rules only
     * @param trustedHosts hosts a response may link or embed images from without an exfiltration finding
     */
    public SecurityScanner(InjectionModel model, Set<String> trustedHosts) {
        this.secrets = new SecretDetector();
        this.pii = new PiiDetector();
        this.injection = new InjectionDetector(model);
        this.exfiltration = new ExfiltrationDetector(trustedHosts, secrets);
    }

    /** All findings in {@code text}, ordered by start offset. */
    public List<Finding> scan(String text, Direction direction) {
        return scan(text, direction, true);
    }

    /**
     * The findings in {@code text}, ordered by start offset; without prompt injection when {@code injection} is
     * false. The injection pass (normalisation, rules, model) is most of a scan's cost, and texts whose injection
     * findings would be dropped, such as the system prompt an IDE sends with every request, are spared it.
     */
    public List<Finding> scan(String text, Direction direction, boolean injection) {
        List<Finding> all = new ArrayList<>();
        all.addAll(secrets.scan(text, direction));
        all.addAll(pii.scan(text, direction));
        if (injection) {
            all.addAll(this.injection.scan(text, direction));
        }
        if (direction == Direction.RESPONSE) {
            all.addAll(exfiltration.scan(text, direction));
        }
        all.sort(Comparator.comparingInt(Finding::start).thenComparingInt(Finding::end));
        return all;
    }

    /**
     * The findings in one tool definition a client offers the model ({@link ToolPoisoningDetector}): its text is the
     * definition's member names and string values, one per line.
     */
    public List<Finding> scanToolDefinition(String text) {
        return tools.scan(text, Direction.REQUEST);
    }

    /** Scan, then apply a policy. */
    public Decision decide(String text, Direction direction, Policy policy) {
        return policy.decide(scan(text, direction));
    }
}

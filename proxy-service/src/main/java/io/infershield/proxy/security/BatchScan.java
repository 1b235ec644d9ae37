package io.infershield.proxy.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The scan contract of shared/eval/README.md as a command: JSONL {@code {"id", "text", "direction"?}} on standard
 * input, one JSONL line {@code {"id", "decision", "score", "findings": [...]}} per input on standard output, under
 * the default {@link Policy}. Options: {@code --model FILE} (a model other than the shipped one),
 * {@code --no-model} (rules only). A malformed line yields an error line for that id and the run goes on.
 */
public final class BatchScan {

    private BatchScan() {
    }

    public static void main(String[] args) throws IOException {
        InjectionModel model = null;
        boolean useShipped = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-model" -> useShipped = false;
                case "--model" -> {
                    try (InputStream in = new FileInputStream(args[++i])) {
                        model = InjectionModel.read(in);
                    }
                }
                default -> {
                    System.err.println("usage: scan [--model FILE | --no-model] < in.jsonl > out.jsonl");
                    System.exit(2);
                }
            }
        }
        if (model == null && useShipped) {
            model = InjectionModel.load();
        }
        run(new SecurityScanner(model, Set.of()), System.in, System.out);
    }

    static void run(SecurityScanner scanner, InputStream input, PrintStream output) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Policy policy = Policy.defaults();
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 1 << 16);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode result = json.createObjectNode();
            try {
                JsonNode row = json.readTree(line);
                result.set("id", row.get("id"));
                JsonNode text = row.get("text");
                if (text == null || !text.isTextual()) {
                    result.put("error", "text is required");
                } else {
                    Direction dir = "response".equals(row.path("direction").asText("request"))
                            ? Direction.RESPONSE : Direction.REQUEST;
                    List<Finding> findings = scanner.scan(text.asText(), dir);
                    Decision d = policy.decide(findings);
                    result.put("decision", d.contractDecision());
                    result.put("score", d.score());
                    ArrayNode arr = result.putArray("findings");
                    for (Finding f : findings) {
                        ObjectNode o = arr.addObject();
                        o.put("category", f.category().wire());
                        o.put("type", f.type());
                        o.put("start", f.start());
                        o.put("end", f.end());
                        o.put("score", f.score());
                        o.put("explanation", f.explanation());
                    }
                }
            } catch (IOException malformed) {
                result.put("error", "malformed JSON line");
            }
            out.write(json.writeValueAsString(result));
            out.newLine();
        }
        out.flush();
    }
}

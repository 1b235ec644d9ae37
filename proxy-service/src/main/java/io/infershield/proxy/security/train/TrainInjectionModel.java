package io.infershield.proxy.security.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.Finding;
import io.infershield.proxy.security.InjectionDetector;
import io.infershield.proxy.security.InjectionModelTrainer;
import io.infershield.proxy.security.InjectionModelTrainer.Example;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reproducible build step for the injection model (run by {@code proxy-service/bin/train-injection-model}).
 * Reads labelled JSONL {@code {id, text, label, source}}, reports grouped cross-validation where each fold holds
 * out whole sources (every fold keeps both labels), choosing each fold's threshold for FPR <= 1% by an inner
 * cross-validation on its training folds only; then trains on all rows, picks the shipped threshold from the
 * out-of-fold scores, and writes the model resource. Deterministic for a given seed and data.
 *
 * <p>Usage: {@code TrainInjectionModel DATA.jsonl OUT.bin.gz [--cv-predictions FILE] [--seed N] [--folds K]}
 */
public final class TrainInjectionModel {

    private TrainInjectionModel() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: TrainInjectionModel DATA.jsonl OUT.bin.gz [--cv-predictions FILE] [--seed N] [--folds K]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path cvOut = null;
        long seed = 20240601L;
        int k = 3;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--cv-predictions" -> cvOut = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--folds" -> k = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<Example> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(data, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode r = json.readTree(line);
            rows.add(new Example(r.get("text").asText(), r.get("label").asInt() == 1, r.path("source").asText("unknown")));
            ids.add(r.get("id").asText());
        }
        InjectionModelTrainer trainer = new InjectionModelTrainer(seed);
        int[] fold = groupFolds(rows, k);
        for (int f = 0; f < k; f++) {
            Map<String, Integer> sources = new TreeMap<>();
            for (int i = 0; i < rows.size(); i++) {
                if (fold[i] == f) {
                    sources.merge(rows.get(i).source() + (rows.get(i).injection() ? "(+)" : "(-)"), 1, Integer::sum);
                }
            }
            System.out.println("fold " + f + " holds out " + sources);
        }

        // outer grouped CV: each fold's model and threshold come from the other folds only
        boolean[] flagged = new boolean[rows.size()];
        List<List<Finding>> cvFindings = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            cvFindings.add(List.of());
        }
        double[] oofZ = new double[rows.size()];
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                (fold[i] == f ? test : train).add(i);
            }
            InjectionModelTrainer.Trained m = trainer.trainWithCvThreshold(rows, train, fold);
            InjectionDetector detector = new InjectionDetector(m.model());
            int tp = 0, fn = 0, fp = 0, tn = 0;
            for (int i : test) {
                oofZ[i] = m.z(rows.get(i));
                List<Finding> found = detector.scan(rows.get(i).text(), Direction.REQUEST);
                cvFindings.set(i, found);
                flagged[i] = !found.isEmpty();
                if (rows.get(i).injection()) {
                    if (flagged[i]) tp++; else fn++;
                } else {
                    if (flagged[i]) fp++; else tn++;
                }
            }
            System.out.printf(Locale.ROOT, "fold %d: threshold z=%.3f recall=%.3f fpr=%.4f (tp=%d fn=%d fp=%d tn=%d)%n",
                    f, m.model().threshold(), tp / (double) Math.max(1, tp + fn), fp / (double) Math.max(1, fp + tn), tp, fn, fp, tn);
        }
        report(rows, flagged);
        if (cvOut != null) {
            try (BufferedWriter w = Files.newBufferedWriter(cvOut, StandardCharsets.UTF_8)) {
                for (int i = 0; i < rows.size(); i++) {
                    ObjectNode o = json.createObjectNode();
                    o.put("id", ids.get(i));
                    o.put("decision", flagged[i] ? "block" : "allow");
                    o.put("score", cvFindings.get(i).stream().mapToInt(Finding::score).max().orElse(0));
                    var arr = o.putArray("findings");
                    for (Finding fd : cvFindings.get(i)) {
                        ObjectNode x = arr.addObject();
                        x.put("category", Category.PROMPT_INJECTION.wire());
                        x.put("type", fd.type());
                        x.put("start", fd.start());
                        x.put("end", fd.end());
                        x.put("score", fd.score());
                    }
                    w.write(json.writeValueAsString(o));
                    w.newLine();
                }
            }
            System.out.println("cross-validated predictions written to " + cvOut);
        }

        // the shipped model: all rows; threshold from the out-of-fold scores above
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            all.add(i);
        }
        InjectionModelTrainer.Trained shipped = trainer.trainWithThresholdFrom(rows, all, oofZ);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(out)) {
            shipped.model().writeTo(o);
        }
        System.out.printf(Locale.ROOT, "wrote %s (%d bytes), threshold z=%.3f%n", out, Files.size(out), shipped.model().threshold());
    }

    private static void report(List<Example> rows, boolean[] flagged) {
        int tp = 0, fn = 0, fp = 0, tn = 0;
        Map<String, int[]> bySource = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Example r = rows.get(i);
            int[] c = bySource.computeIfAbsent(r.source(), s -> new int[2]);
            c[0]++;
            if (flagged[i]) {
                c[1]++;
            }
            if (r.injection()) {
                if (flagged[i]) tp++; else fn++;
            } else {
                if (flagged[i]) fp++; else tn++;
            }
        }
        System.out.printf(Locale.ROOT, "grouped CV (model+rules): recall=%.3f precision=%.3f fpr=%.4f (tp=%d fn=%d fp=%d tn=%d)%n",
                tp / (double) Math.max(1, tp + fn), tp / (double) Math.max(1, tp + fp), fp / (double) Math.max(1, fp + tn), tp, fn, fp, tn);
        bySource.entrySet().stream().sorted(Comparator.comparing(Map.Entry::getKey)).forEach(e ->
                System.out.printf(Locale.ROOT, "  %-32s flagged %4d of %4d%n", e.getKey(), e.getValue()[1], e.getValue()[0]));
    }

    /**
     * Group k-fold by source, stratified: sources of each label are dealt largest first to the fold that has
     * the fewest rows of that label so far, so every fold holds out whole sources of both labels.
     */
    static int[] groupFolds(List<Example> rows, int k) {
        Map<String, Integer> benign = new TreeMap<>();
        Map<String, Integer> attack = new TreeMap<>();
        for (Example r : rows) {
            (r.injection() ? attack : benign).merge(r.source(), 1, Integer::sum);
        }
        if (benign.size() < k || attack.size() < k) {
            throw new IllegalArgumentException("need at least " + k + " sources of each label for " + k + " folds");
        }
        Map<String, Integer> assign = new TreeMap<>();
        for (Map<String, Integer> group : List.of(benign, attack)) {
            int[] load = new int[k];
            group.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> {
                        int best = 0;
                        for (int f = 1; f < k; f++) {
                            if (load[f] < load[best]) {
                                best = f;
                            }
                        }
                        load[best] += e.getValue();
                        assign.put(e.getKey() + (group == attack ? "+" : "-"), best);
                    });
        }
        int[] fold = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Example r = rows.get(i);
            fold[i] = assign.get(r.source() + (r.injection() ? "+" : "-"));
        }
        return fold;
    }
}

package io.infershield.proxy.security;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Logistic regression over {@link InjectionFeatures}: {@code z = bias + sum(w[ngram]) / sqrt(#ngrams) + sum(w[rule])},
 * evaluated over sliding windows of the normalised text so a short injection inside a long pasted document is not
 * diluted. {@code threshold} is the decision point chosen by grouped cross-validation for FPR <= 1%.
 * Stored gzip-compressed with 8-bit quantised n-gram weights.
 */
public final class InjectionModel {

    /** Resource path of the shipped model. */
    public static final String RESOURCE = "/io/infershield/proxy/security/injection-model.bin.gz";
    static final int WINDOW = 1024;
    static final int STEP = 512;
    private static final int MAGIC = 0x49534B4D; // "ISKM"

    final float[] ngram;
    final float[] rule;
    float bias;
    float threshold;

    InjectionModel(float[] ngram, float[] rule, float bias, float threshold) {
        this.ngram = ngram;
        this.rule = rule;
        this.bias = bias;
        this.threshold = threshold;
    }

    /** The model shipped in the jar. */
    public static InjectionModel load() {
        try (InputStream in = InjectionModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("model resource missing: " + RESOURCE);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InjectionModel read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
        if (in.readInt() != MAGIC) {
            throw new IOException("not an injection model");
        }
        int buckets = in.readInt();
        int rules = in.readInt();
        float bias = in.readFloat();
        float threshold = in.readFloat();
        float scale = in.readFloat();
        float[] rule = new float[rules];
        for (int i = 0; i < rules; i++) {
            rule[i] = in.readFloat();
        }
        byte[] q = new byte[buckets];
        in.readFully(q);
        float[] w = new float[buckets];
        for (int i = 0; i < buckets; i++) {
            w[i] = q[i] * scale;
        }
        return new InjectionModel(w, rule, bias, threshold);
    }

    /** The decision value at which a window is reported (score 50). */
    public float threshold() {
        return threshold;
    }

    /** Writes the model in the resource format (gzip, quantised n-gram weights). */
    public void writeTo(OutputStream raw) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(raw);
        DataOutputStream out = new DataOutputStream(gz);
        float scale = quantScale();
        out.writeInt(MAGIC);
        out.writeInt(ngram.length);
        out.writeInt(rule.length);
        out.writeFloat(bias);
        out.writeFloat(threshold);
        out.writeFloat(scale);
        for (float r : rule) {
            out.writeFloat(r);
        }
        byte[] q = new byte[ngram.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(ngram[i] / scale)));
        }
        out.write(q);
        out.flush();
        gz.finish();
    }

    private float quantScale() {
        float max = 1e-9f;
        for (float v : ngram) {
            max = Math.max(max, Math.abs(v));
        }
        return max / 127f;
    }

    /** Rounds the n-gram weights the way {@link #write} stores them, so evaluation sees the shipped precision. */
    void quantize() {
        float scale = quantScale();
        for (int i = 0; i < ngram.length; i++) {
            ngram[i] = Math.max(-127, Math.min(127, Math.round(ngram[i] / scale))) * scale;
        }
    }

    /** The best window: its decision value and normalised span. */
    record Window(double z, int start, int end) {
    }

    Window best(InjectionFeatures f) {
        double ruleSum = 0;
        for (int i = 0; i < f.ruleHits.length; i += 3) {
            ruleSum += rule[f.ruleHits[i]];
        }
        int len = f.normalized.text().length();
        if (f.size == 0) {
            return new Window(bias + ruleSum, 0, len);
        }
        if (len <= WINDOW) {
            double s = 0;
            for (int i = 0; i < f.size; i++) {
                s += ngram[f.buckets[i]];
            }
            return new Window(bias + ruleSum + s / Math.sqrt(f.size), 0, len);
        }
        // sliding windows over positions, with two pointers into the (end-sorted) occurrence list
        Window best = null;
        int lo = 0;
        int hi = 0;
        double sum = 0;
        for (int ws = 0; ; ws += STEP) {
            int we = Math.min(len, ws + WINDOW);
            while (hi < f.size && f.ends[hi] <= we) {
                sum += ngram[f.buckets[hi++]];
            }
            while (lo < hi && f.ends[lo] <= ws) {
                sum -= ngram[f.buckets[lo++]];
            }
            int count = hi - lo;
            double z = bias + ruleSum + (count == 0 ? 0 : sum / Math.sqrt(count));
            if (best == null || z > best.z()) {
                best = new Window(z, ws, we);
            }
            if (we == len) {
                break;
            }
        }
        return best;
    }

    /** Full-document decision value, as used in training. */
    double zWhole(InjectionFeatures f) {
        double s = 0;
        for (int i = 0; i < f.size; i++) {
            s += ngram[f.buckets[i]];
        }
        double ruleSum = 0;
        for (int i = 0; i < f.ruleHits.length; i += 3) {
            ruleSum += rule[f.ruleHits[i]];
        }
        return bias + ruleSum + (f.size == 0 ? 0 : s / Math.sqrt(f.size));
    }

    /** 0-100, 50 at the threshold. */
    int score(double z) {
        return (int) Math.round(100.0 / (1.0 + Math.exp(-(z - threshold))));
    }

    /** The n-grams (and rules) that pushed a window towards injection most, for the finding's explanation. */
    String explain(InjectionFeatures f, Window w, int top) {
        Map<Integer, Double> byBucket = new HashMap<>();
        Map<Integer, Integer> endOf = new HashMap<>();
        int count = 0;
        for (int i = 0; i < f.size; i++) {
            if (f.ends[i] > w.start() && f.ends[i] <= w.end()) {
                byBucket.merge(f.buckets[i], (double) ngram[f.buckets[i]], Double::sum);
                endOf.putIfAbsent(f.buckets[i], f.ends[i]);
                count++;
            }
        }
        double norm = Math.sqrt(Math.max(1, count));
        List<Map.Entry<Integer, Double>> entries = new ArrayList<>(byBucket.entrySet());
        entries.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        StringBuilder b = new StringBuilder("model:injection-lr top features ");
        for (int i = 0; i < f.ruleHits.length; i += 3) {
            b.append("rule:").append(InjectionRules.ALL.get(f.ruleHits[i]).id())
                    .append(String.format(java.util.Locale.ROOT, "(%+.2f) ", rule[f.ruleHits[i]]));
        }
        for (int i = 0; i < Math.min(top, entries.size()); i++) {
            Map.Entry<Integer, Double> e = entries.get(i);
            if (e.getValue() <= 0) {
                break;
            }
            b.append(InjectionFeatures.describe(f.normalized.text(), endOf.get(e.getKey()), e.getKey()))
                    .append(String.format(java.util.Locale.ROOT, "(%+.2f) ", e.getValue() / norm));
        }
        return b.toString().trim();
    }
}

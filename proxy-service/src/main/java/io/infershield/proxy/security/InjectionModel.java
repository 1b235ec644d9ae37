package io.infershield.proxy.security;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Logistic regression over {@link InjectionFeatures}: {@code z = bias + scale * sum(q[ngram]) / sqrt(#ngrams) + sum(w[rule])},
 * evaluated over sliding windows of the normalised text so a short injection inside a long pasted document is not
 * diluted. {@code threshold} is the decision point chosen by grouped cross-validation for FPR <= 1%.
 * The n-gram weights are 8-bit quantised in a primitive array (256 KiB, fits in L2), which is also how the model
 * is stored (gzip); scoring sums bytes into per-block integers without allocating per n-gram.
 */
public final class InjectionModel {

    /** Resource path of the shipped model. */
    public static final String RESOURCE = "/io/infershield/proxy/security/injection-model.bin.gz";
    static final int WINDOW = 1024;
    static final int STEP = 512;
    /** Format version 2: multiply-shift n-gram hashing (version 1 used FNV-style hashes). */
    private static final int MAGIC = 0x49534B32; // "ISK2"

    final byte[] ngram;
    final float scale;
    final float[] rule;
    final float bias;
    float threshold;

    InjectionModel(byte[] ngram, float scale, float[] rule, float bias, float threshold) {
        this.ngram = ngram;
        this.scale = scale;
        this.rule = rule;
        this.bias = bias;
        this.threshold = threshold;
    }

    /** Quantises trained float weights to 8 bits, as the model is stored and scored. */
    static InjectionModel quantized(float[] w, float[] rule, float bias) {
        float max = 1e-9f;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        float scale = max / 127f;
        byte[] q = new byte[w.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
        }
        return new InjectionModel(q, scale, rule, bias, 0f);
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
            throw new IOException("not an injection model of this version");
        }
        int buckets = in.readInt();
        int rules = in.readInt();
        if (buckets != InjectionFeatures.BUCKETS || rules != InjectionRules.ALL.size()) {
            throw new IOException("model was trained for " + buckets + " buckets and " + rules + " rules");
        }
        float bias = in.readFloat();
        float threshold = in.readFloat();
        float scale = in.readFloat();
        float[] rule = new float[rules];
        for (int i = 0; i < rules; i++) {
            rule[i] = in.readFloat();
        }
        byte[] q = new byte[buckets];
        in.readFully(q);
        return new InjectionModel(q, scale, rule, bias, threshold);
    }

    /** The decision value at which a window is reported (score 50). */
    public float threshold() {
        return threshold;
    }

    /** Writes the model in the resource format (gzip, quantised n-gram weights). */
    public void writeTo(OutputStream raw) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(raw);
        DataOutputStream out = new DataOutputStream(gz);
        out.writeInt(MAGIC);
        out.writeInt(ngram.length);
        out.writeInt(rule.length);
        out.writeFloat(bias);
        out.writeFloat(threshold);
        out.writeFloat(scale);
        for (float r : rule) {
            out.writeFloat(r);
        }
        out.write(ngram);
        out.flush();
        gz.finish();
    }

    /** The best window: its decision value and normalised span. */
    record Window(double z, int start, int end) {
    }

    /**
     * The best window of the text: windows of {@link #WINDOW} chars every {@link #STEP} chars, so each window is
     * two consecutive blocks.
     */
    Window best(NormalizedText norm, int[] ruleHits) {
        InjectionFeatures.WordGrams grams = wordGrams(norm);
        InjectionRules.match(norm.text(), norm.chars(), grams);
        return best(norm, ruleHits, grams);
    }

    /** Block sums for the word n-grams of {@code norm}, for {@link InjectionRules#match} to fill. */
    InjectionFeatures.WordGrams wordGrams(NormalizedText norm) {
        return new InjectionFeatures.WordGrams(ngram, 9, norm.text().length()); // 2^9 = STEP
    }

    /**
     * {@link #best(NormalizedText, int[])} given the word n-grams' block sums that {@link InjectionRules#match} filled;
     * adds the char n-grams to them, so once per {@code grams}.
     */
    Window best(NormalizedText norm, int[] ruleHits, InjectionFeatures.WordGrams grams) {
        double ruleSum = 0;
        for (int i = 0; i < ruleHits.length; i += 3) {
            ruleSum += rule[ruleHits[i]];
        }
        int len = norm.text().length();
        InjectionFeatures.blockSums(norm.chars(), len, grams); // block j: the n-grams ending in (STEP*j, STEP*(j+1)]
        int[] sum = grams.sum;
        int[] cnt = grams.count;
        Window best = null;
        for (int w = 0; ; w++) {
            int ws = w * STEP;
            int we = Math.min(len, ws + WINDOW);
            int count = cnt[w] + cnt[w + 1];
            double s = sum[w] + sum[w + 1];
            double z = bias + ruleSum + (count == 0 ? 0 : scale * s / Math.sqrt(count));
            if (best == null || z > best.z()) {
                best = new Window(z, ws, we);
            }
            if (we >= len) {
                break;
            }
        }
        return best;
    }

    /** 0-100, 50 at the threshold. */
    int score(double z) {
        return (int) Math.round(100.0 / (1.0 + Math.exp(-(z - threshold))));
    }

    /**
     * The n-grams (and rules) that pushed a window towards injection most, for the finding's explanation. Only
     * the window is re-read (from a word start shortly before it), so explaining costs O(window), not O(text).
     */
    String explain(NormalizedText norm, int[] ruleHits, Window w, int top) {
        String t = norm.text();
        int from = Math.max(0, w.start() - 8);
        // back to a word start so word features read as in scoring; bounded, so a giant "word" stays linear
        for (int k = 0; k < 64 && from > 0 && InjectionFeatures.isWord(t.charAt(from - 1)); k++) {
            from--;
        }
        int base = from;
        String piece = t.substring(from, w.end());
        Tally tally = new Tally(piece.length(), w.start() - base, ngram);
        InjectionFeatures.ngrams(piece, tally);
        double n = Math.sqrt(Math.max(1, tally.total));
        StringBuilder b = new StringBuilder("model:injection-lr top features ");
        for (int i = 0; i < ruleHits.length; i += 3) {
            b.append("rule:").append(InjectionRules.ALL.get(ruleHits[i]).id())
                    .append(String.format(java.util.Locale.ROOT, "(%+.2f) ", rule[ruleHits[i]]));
        }
        double[] sums = tally.sums(scale);
        for (int d : tally.largest(sums, top)) {
            b.append(InjectionFeatures.describe(piece, tally.first[d], tally.key[d]))
                    .append(String.format(java.util.Locale.ROOT, "(%+.2f) ", sums[d] / n));
        }
        return b.toString().trim();
    }

    /**
     * The n-grams of a window counted per bucket in primitive arrays, in the order each bucket first occurs: boxing
     * and a map update per n-gram made most of the cost of a flagged prompt's scan. Only buckets of positive
     * weight are kept, since only they can push a window towards injection; a bucket is known by its rank {@code d}
     * among those, in the order they first occur.
     */
    static final class Tally implements InjectionFeatures.Sink {
        private final int after;
        private final byte[] q;
        private final int[] slots; // d + 1 of the bucket stored there; 0 when free
        private final int mask;
        /** Per rank: the bucket, its count, and where it first ends. */
        final int[] key;
        private final int[] count;
        final int[] first;
        int distinct;
        /** The n-grams counted, whatever their weight. */
        int total;

        /** For the n-grams of {@code length} chars of text that end after {@code after}, weighted by {@code q}. */
        Tally(int length, int after, byte[] q) {
            this.after = after;
            this.q = q;
            int cap = 5 * length + 8; // at most three char n-grams per char and two word n-grams per word
            key = new int[cap];
            count = new int[cap];
            first = new int[cap];
            slots = new int[Integer.highestOneBit(cap) * 4];
            mask = slots.length - 1;
        }

        @Override
        public void add(int bucket, int end) {
            if (end <= after) {
                return;
            }
            total++;
            if (q[bucket] <= 0) {
                return;
            }
            int s = (bucket * 0x9E3779B9) & mask;
            for (int v; (v = slots[s]) != 0; s = (s + 1) & mask) {
                if (key[v - 1] == bucket) {
                    count[v - 1]++;
                    return;
                }
            }
            key[distinct] = bucket;
            count[distinct] = 1;
            first[distinct] = end;
            slots[s] = ++distinct;
        }

        /** Per rank, the bucket's weight sum: {@code q[bucket] * scale} added once per occurrence. */
        double[] sums(float scale) {
            double[] sums = new double[distinct];
            for (int d = 0; d < distinct; d++) {
                double x = (double) q[key[d]] * scale;
                double sum = x;
                for (int k = 1; k < count[d]; k++) {
                    sum += x;
                }
                sums[d] = sum;
            }
            return sums;
        }

        /**
         * The ranks of the {@code k} largest sums, largest first; of equal sums (frequent with 8-bit weights) the
         * n-gram that occurs first comes first. One pass keeping the best k in order, without sorting the
         * thousands of n-grams of a window.
         */
        int[] largest(double[] sums, int k) {
            int[] best = new int[k];
            int size = 0;
            for (int d = 0; d < distinct; d++) {
                int at = size;
                while (at > 0 && sums[d] > sums[best[at - 1]]) {
                    at--;
                }
                if (at < k) {
                    System.arraycopy(best, at, best, at + 1, Math.min(size, k - 1) - at);
                    best[at] = d;
                    size = Math.min(size + 1, k);
                }
            }
            return java.util.Arrays.copyOf(best, size);
        }
    }
}

package io.infershield.bench;

import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.ExfiltrationDetector;
import io.infershield.proxy.security.PiiDetector;
import io.infershield.proxy.security.SecretDetector;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of each non-injection detector alone on the same 1 MiB corpus as {@link ScannerBenchmark}, so the
 * budget left for the injection detector is visible. One op = 1 MiB; MB/s per core = ops/s x 1.048576.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DetectorBenchmark {

    SecretDetector secrets;
    PiiDetector pii;
    ExfiltrationDetector exfiltration;
    String corpus;

    @Setup
    public void setUp() {
        ScannerBenchmark corpusSource = new ScannerBenchmark();
        corpusSource.setUp();
        corpus = corpusSource.corpus;
        secrets = new SecretDetector();
        pii = new PiiDetector();
        exfiltration = new ExfiltrationDetector(Set.of("github.com"), secrets);
    }

    @Benchmark
    public int secrets() {
        return secrets.scan(corpus, Direction.REQUEST).size();
    }

    @Benchmark
    public int pii() {
        return pii.scan(corpus, Direction.REQUEST).size();
    }

    /** Exfiltration runs on responses only; timed on the same text for comparison. */
    @Benchmark
    public int exfiltration() {
        return exfiltration.scan(corpus, Direction.RESPONSE).size();
    }

    /** Everything but injection, as the gateway runs it on a response. */
    @Benchmark
    public int secretsPiiExfiltration() {
        return secrets.scan(corpus, Direction.RESPONSE).size() + pii.scan(corpus, Direction.RESPONSE).size()
                + exfiltration.scan(corpus, Direction.RESPONSE).size();
    }
}

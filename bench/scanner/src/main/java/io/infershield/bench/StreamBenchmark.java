package io.infershield.bench;

import io.infershield.proxy.security.StreamScanner;
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
 * The cost of scanning a streamed answer as it flows: an 8 KiB answer fed to the response scanner (secrets, PII,
 * exfiltration, 1 KiB look-back) in 4-char deltas, about one token each, as providers stream. One op = the whole
 * answer; µs per delta = µs per op / {@link #DELTAS}. The work runs on the stream's event loop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamBenchmark {

    /** Deltas per op. */
    public static final int DELTAS = 2048;

    String answer;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder();
        while (b.length() < DELTAS * 4) {
            b.append("Sure. Set the timeout to 30 seconds, retry three times, and read the key from the environment. ")
                    .append("Then call `client.send(payload)` in a loop; mail bob@example.org if it fails.\n");
        }
        answer = b.substring(0, DELTAS * 4);
    }

    @Benchmark
    public int streamAnswerInTokenDeltas() {
        StreamScanner scanner = StreamScanner.forResponses(Set.of("github.com"));
        int found = 0;
        for (int i = 0; i < answer.length(); i += 4) {
            found += scanner.feed(answer.substring(i, i + 4)).size();
        }
        return found + scanner.finish().size();
    }
}

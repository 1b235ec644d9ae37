package io.infershield.bench;

import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.SecurityScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the request scan as the gateway runs it: message by message over a seeded mix of chat requests
 * shaped like an IDE's. Each request has the IDE's system prompt (scanned for secrets and PII only, as
 * {@code SecurityLayer} does for system and developer messages), up to six earlier turns with the assistant's
 * answers, and a new turn that sometimes pastes a whole file. {@link ScannerBenchmark} scans the same prompt pieces
 * as one 1 MiB text through every detector: the harder case, and the number the security layer's target is held to.
 */
@State(Scope.Benchmark)
public class RequestMixBenchmark {

    /** The chars of all messages of one op (ASCII, so also bytes). */
    static final int TOTAL = 1 << 20;

    /** One message: its text and whether prompt injection is looked for in it. */
    record Message(String text, boolean injection) {
    }

    private static final String SYSTEM_PROMPT = """
            You are a coding assistant built into the developer's editor. Follow the developer's requirements carefully \
            and to the letter. Keep answers short and impersonal. Answer questions about software development, the \
            code in the workspace and the terminal output the developer shares; decline anything unrelated.
            Use Markdown. Put code in fenced blocks with the language named after the opening fence. When you change \
            a file, show only the changed region with a comment naming the file path at its top. Avoid wrapping the \
            whole answer in triple backticks. Never invent APIs: when unsure whether a method exists in the version \
            in use, say so and suggest how to check.
            The workspace is a Java 17 Maven project with Quarkus. Tests use JUnit 5 and REST Assured. Prefer the \
            libraries already on the classpath. Do not add dependencies without saying why.
            When the developer asks for a fix, first say in one sentence what is wrong, then show the fix, then \
            mention any test that should be added. When a command is needed, give it for bash on Linux.
            The developer's operating system is Linux. The active file is shown below, followed by the selection.
            """.repeat(2);

    private static final String[] ANSWERS = {
        "The loop allocates a wrapper per element. Pre-size the list and map in one pass:\n```java\nList<Wrapper> result = "
                + "new ArrayList<>(items.size());\nfor (Item item : items) {\n    result.add(new Wrapper(item));\n}\n```\n",
        "`-exec rm {} \\;` is fine with spaces; the problem is the unquoted variable in your loop. Use `-print0` with "
                + "`xargs -0`, or `-delete` when it is available.\n",
        "Here is an iterative version with two rows, O(n*m) time and O(min(n, m)) space:\n```python\ndef lev(a, b):\n"
                + "    prev = list(range(len(b) + 1))\n    for i, ca in enumerate(a, 1):\n        cur = [i]\n"
                + "        for j, cb in enumerate(b, 1):\n            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))\n"
                + "        prev = cur\n    return prev[-1]\n```\n",
        "`Order.total` dereferences `lines` before the null check on line 42. Initialise it in the constructor or "
                + "guard it with `Objects.requireNonNullElse`.\n",
    };

    SecurityScanner scanner;
    List<Message> messages;

    @Setup
    public void setUp() {
        scanner = new SecurityScanner();
        messages = messages(new Random(42));
    }

    /** The seeded mix: whole requests until {@link #TOTAL} chars, the last message cut to make it exact. */
    static List<Message> messages(Random random) {
        List<Message> out = new ArrayList<>();
        int total = 0;
        while (total < TOTAL) {
            List<Message> request = new ArrayList<>();
            request.add(new Message(SYSTEM_PROMPT, false));
            for (int turns = random.nextInt(7); turns > 0; turns--) {
                request.add(new Message(pieces(random, 1 + random.nextInt(3)), true));
                request.add(new Message(ANSWERS[random.nextInt(ANSWERS.length)], true));
            }
            String turn = pieces(random, 1 + random.nextInt(4));
            if (random.nextInt(10) < 3) {
                turn += "\n```java\n" + file(random, 2_000 + random.nextInt(14_000)) + "```\n";
            }
            request.add(new Message(turn, true));
            for (Message m : request) {
                String text = m.text().substring(0, Math.min(m.text().length(), TOTAL - total));
                if (!text.isEmpty()) {
                    out.add(new Message(text, m.injection()));
                    total += text.length();
                }
            }
        }
        return out;
    }

    private static String pieces(Random random, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(ScannerBenchmark.PIECES[random.nextInt(ScannerBenchmark.PIECES.length)]);
        }
        return b.toString();
    }

    /** A pasted source file of about {@code size} chars: the corpus's code pieces and answers' code, repeated. */
    private static String file(Random random, int size) {
        StringBuilder b = new StringBuilder(size + 512);
        while (b.length() < size) {
            b.append(random.nextBoolean() ? ScannerBenchmark.PIECES[random.nextInt(ScannerBenchmark.PIECES.length)]
                    : ANSWERS[random.nextInt(ANSWERS.length)]);
        }
        return b.toString();
    }

    /** One op = scanning every message of the mix, 1 MiB in all; MB/s per core = ops/s x 1.048576. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int scanRequests() {
        int found = 0;
        for (Message m : messages) {
            found += scanner.scan(m.text(), Direction.REQUEST, m.injection()).size();
        }
        return found;
    }
}

